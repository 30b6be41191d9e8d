package dev.rayos.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import picocli.CommandLine;
import picocli.CommandLine.Range;

/**
 * What options and positional parameters share, as read (picocli's common builder is not public,
 * so the two builders are each given these): the value bound to a field of the command object.
 */
final class CommandModelArg {
    final FieldBinding binding;
    final String toString;
    final Object initial;
    final Range arity;
    final boolean required;
    final boolean interactive;
    final boolean echo;
    final String prompt;
    final String[] description;
    final String descriptionKey;
    final String paramLabel;
    final boolean hideParamSyntax;
    final Class<?> type;
    final Class<?>[] aux;
    final CommandLine.ITypeConverter<?>[] converters;
    final String splitRegex;
    final String splitLabel;
    final boolean hidden;
    final String defaultValue;
    final String mapFallbackValue;
    final CommandLine.Help.Visibility showDefault;
    final CommandLine.ScopeType scopeType;

CommandModelArg(DataInputStream d, Object user) throws IOException, ReflectiveOperationException {
        String field = CommandModel.string(d);
        binding = field == null ? null : new FieldBinding(user, CommandModel.field(user, field));
        toString = d.readUTF();
        initial = binding == null ? null : binding.get();
        arity = CommandModel.range(d);
        required = d.readBoolean();
        interactive = d.readBoolean();
        echo = d.readBoolean();
        prompt = CommandModel.string(d);
        description = CommandModel.strings(d);
        descriptionKey = CommandModel.string(d);
        paramLabel = d.readUTF();
        hideParamSyntax = d.readBoolean();
        type = CommandModel.type(d.readUTF());
        String[] auxNames = CommandModel.strings(d);
        aux = new Class<?>[auxNames.length];
        for (int i = 0; i < auxNames.length; i++) {
            aux[i] = CommandModel.type(auxNames[i]);
        }
        String[] converterNames = CommandModel.strings(d);
        converters = new CommandLine.ITypeConverter<?>[converterNames.length];
        for (int i = 0; i < converterNames.length; i++) {
            converters[i] = (CommandLine.ITypeConverter<?>) CommandModel.newInstance(Class.forName(converterNames[i]));
        }
        splitRegex = d.readUTF();
        splitLabel = d.readUTF();
        hidden = d.readBoolean();
        defaultValue = CommandModel.string(d);
        mapFallbackValue = CommandModel.string(d);
        showDefault = CommandLine.Help.Visibility.valueOf(d.readUTF());
        scopeType = CommandLine.ScopeType.valueOf(d.readUTF());
    }

    /** An option's value in a field of the command object, as picocli binds annotated fields. */
    static final class FieldBinding implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        private final Object target;
        private final Field field;

        FieldBinding(Object target, Field field) {
            this.target = target;
            this.field = field;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            try {
                return (T) field.get(target);
            } catch (IllegalAccessException e) {
                throw new CommandLine.PicocliException("cannot read " + field, e);
            }
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            try {
                field.set(target, value);
            } catch (IllegalAccessException e) {
                throw new CommandLine.PicocliException("cannot set " + field, e);
            }
            return old;
        }
    }
}
