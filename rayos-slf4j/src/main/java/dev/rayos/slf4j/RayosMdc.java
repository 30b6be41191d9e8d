package dev.rayos.slf4j;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.spi.MDCAdapter;

/**
 * SLF4J's MDC as each thread's own ordered map; its entries become {@code k=v} on every line the
 * thread logs, in the order they were put. A logger reads the map in place (no copy per line).
 */
final class RayosMdc implements MDCAdapter {
    private final ThreadLocal<LinkedHashMap<String, String>> map = ThreadLocal.withInitial(LinkedHashMap::new);
    private final ThreadLocal<Map<String, Deque<String>>> deques = ThreadLocal.withInitial(HashMap::new);

    /** This thread's map, for reading in place; never modify. */
    Map<String, String> current() {
        return map.get();
    }

    @Override
    public void put(String key, String val) {
        if (key == null) {
            throw new IllegalArgumentException("MDC key cannot be null");
        }
        map.get().put(key, val);
    }

    @Override
    public String get(String key) {
        return map.get().get(key);
    }

    @Override
    public void remove(String key) {
        map.get().remove(key);
    }

    @Override
    public void clear() {
        map.get().clear();
    }

    @Override
    public Map<String, String> getCopyOfContextMap() {
        return new LinkedHashMap<>(map.get());
    }

    @Override
    public void setContextMap(Map<String, String> contextMap) {
        LinkedHashMap<String, String> m = map.get();
        m.clear();
        if (contextMap != null) {
            m.putAll(contextMap);
        }
    }

    /** The keys, for SLF4J's {@code MDC.getKeys()}-style callers. */
    Set<String> keys() {
        return map.get().keySet();
    }

    @Override
    public void pushByKey(String key, String value) {
        deques.get().computeIfAbsent(key, k -> new ArrayDeque<>()).push(value);
    }

    @Override
    public String popByKey(String key) {
        Deque<String> d = deques.get().get(key);
        return d == null ? null : d.pollFirst();
    }

    @Override
    public Deque<String> getCopyOfDequeByKey(String key) {
        Deque<String> d = deques.get().get(key);
        return d == null ? null : new ArrayDeque<>(d);
    }

    @Override
    public void clearDequeByKey(String key) {
        Deque<String> d = deques.get().get(key);
        if (d != null) {
            d.clear();
        }
    }
}
