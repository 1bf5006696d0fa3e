package org.multiprocessing4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON the Python scripts print, read as the hand-written reader read it. */
class PythonSideJsonTest {

    @Test
    void readsObjectsInDocumentOrderWithLongsAndDoubles() {
        Map<String, Object> json = PythonSide.parseObject(
                "{\"z\": 1, \"a\": [2, -3, 4.5, 1e3], \"s\": \"\\u00b5s\\n\", \"t\": true, \"n\": null, \"o\": {}}");
        assertEquals(List.of("z", "a", "s", "t", "n", "o"), new ArrayList<>(json.keySet()));
        assertEquals(1L, json.get("z"));
        assertEquals(Arrays.asList(2L, -3L, 4.5, 1000.0), json.get("a"));
        assertEquals("µs\n", json.get("s"));
        assertEquals(Boolean.TRUE, json.get("t"));
        assertEquals(null, json.get("n"));
        assertEquals(Map.of(), json.get("o"));
    }

    @Test
    void rejectsWhatIsNotOneJsonObject() {
        assertThrows(IllegalArgumentException.class, () -> PythonSide.parseObject("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> PythonSide.parseObject("{\"a\": NaN}"));
        assertThrows(IllegalArgumentException.class, () -> PythonSide.parseObject("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> PythonSide.parseObject("{\"a\": "));
    }
}
