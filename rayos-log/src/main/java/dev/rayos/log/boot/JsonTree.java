package dev.rayos.log.boot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A history document read into plain values (maps, lists, strings, numbers, booleans, nulls) with
 * jackson-core's streaming parser. Every short command reads the current boot's history, and
 * jackson-jr's object layer over the same parser (its readers, writers and their type tables,
 * which also load the time-zone database) cost each start a few milliseconds for nothing a
 * document of plain values needs (docs/PERFORMANCE.md, "Start of the short commands").
 * Writing stays with jackson-jr.
 */
final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {}

    /**
     * The document's value: objects as insertion-ordered maps (a repeated key keeps its last
     * value), whole numbers as Integer, Long or BigInteger, others as Double.
     *
     * @throws IOException when it is not one whole JSON value (trailing content included)
     */
    static Object read(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            Object v = value(p, p.nextToken());
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "content after the document's end");
            }
            return v;
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new JsonParseException(p, "unexpected end of the document");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    if (n != JsonToken.FIELD_NAME) {
                        throw new JsonParseException(p, "expected a field name, not " + n);
                    }
                    String key = p.currentName();
                    m.put(key, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
                    l.add(value(p, n));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException(p, "unexpected " + t);
        }
    }
}
