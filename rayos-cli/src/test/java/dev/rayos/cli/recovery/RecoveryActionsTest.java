package dev.rayos.cli.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The menu shows only what this build can run, and reboot/power off only on the machine itself. */
class RecoveryActionsTest {
    /** Answers for the commands named, as a build with only those would. */
    private record Build(Set<List<String>> has) implements CommandRunner {
        @Override
        public boolean exists(List<String> path) {
            return has.contains(path);
        }

        @Override
        public Result run(List<String> argv) {
            throw new AssertionError("not run here");
        }
    }

    @Test
    void anEntryWhoseCommandIsNotInTheBuildIsNotShown() {
        Build b = new Build(Set.of(List.of("boots"), List.of("logs"), List.of("crashes"), List.of("crash", "show")));
        List<String> ids = RecoveryActions.available(RecoveryActions.standard(), b, false, p -> false).stream()
                .map(RecoveryAction::id).toList();
        assertThat(ids).containsExactly("boots", "logs", "crashes", "crash-show");
    }

    @Test
    void repairIsShownOnlyWhenBothItsCheckAndItsRepairExist() {
        Build b = new Build(Set.of(List.of("repair")));
        assertThat(RecoveryActions.available(RecoveryActions.standard(), b, false, p -> false))
                .extracting(RecoveryAction::id).containsExactly("repair");
    }

    @Test
    void rebootAndPowerOffAreShownOnTheMachineOnlyNeverForARootInADirectory() {
        Build none = new Build(Set.of());
        assertThat(RecoveryActions.available(RecoveryActions.standard(), none, false, p -> true))
                .extracting(RecoveryAction::id).containsExactly("shell");
        assertThat(RecoveryActions.available(RecoveryActions.standard(), none, true, p -> true))
                .extracting(RecoveryAction::id).containsExactly("reboot", "poweroff", "shell");
    }

    @Test
    void answersTakeThePlaceOfTheirPlaceholders() {
        RecoveryAction vm = RecoveryActions.standard().stream().filter(a -> a.id().equals("vm-reset-state"))
                .findFirst().orElseThrow();
        assertThat(vm.argv("", "web")).containsExactly("vm", "reset-state", "--", "web");
        assertThat(vm.argv("", "all")).containsExactly("vm", "reset-state", "--all");
        RecoveryAction logs = RecoveryActions.standard().get(1);
        assertThat(logs.argv("--root=/etc", "")).containsExactly("logs", "--boot=--root=/etc");
        assertThat(logs.argv("", "")).containsExactly("logs", "--boot=");
    }
}
