package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ChildCommandTest {
    @Test
    void codeShapingOptionsAreInheritedAndClashingOnesAreNot() {
        for (String kept : List.of("-Dkey=value", "--add-opens=java.base/java.lang=ALL-UNNAMED", "-ea",
                "-Xmx256m", "-XX:+UseSerialGC", "-Xlog:gc", "-Xlog:gc:file=gc-%p.log", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")) {
            assertTrue(ChildCommand.isInherited(kept), kept);
        }
        for (String dropped : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-javaagent:/x/jacoco.jar", "-Xdebug", "-XX:StartFlightRecording=filename=a.jfr",
                "-Dcom.sun.management.jmxremote.port=9010", "-XX:SharedArchiveFile=a.jsa",
                "-Djava.class.path=/x", "-Xshare:off", "-Xlog:gc:file=gc.log", "-XX:LogFile=vm.log",
                "-XX:+LogVMOutput")) {
            assertFalse(ChildCommand.isInherited(dropped), dropped);
        }
    }

    @Test
    void commandEndsWithTheBootstrapAndCarriesTheClassPath() {
        List<String> cmd = ChildCommand.build(ChildClassPath.ofApplicationLoader(), List.of("-Dextra=1"), false);
        assertTrue(cmd.get(0).endsWith("/bin/java"), cmd.get(0));
        assertEquals(ChildCommand.BOOTSTRAP, cmd.get(cmd.size() - 1));
        assertEquals(String.join(java.io.File.pathSeparator, ChildClassPath.ofApplicationLoader().entries()),
                cmd.get(cmd.indexOf("-cp") + 1));
        assertTrue(cmd.indexOf("-Dextra=1") < cmd.indexOf("-cp"));
    }

    @Test
    void userOptionsAreValidated() {
        assertNull(ChildCommand.validate(List.of("-Xmx64m", "-Dx=y", "--add-opens=java.base/java.io=ALL-UNNAMED")));
        assertTrue(ChildCommand.validate(List.of("-Xmx64m", "Main")).contains("#1 'Main'"));
        assertTrue(ChildCommand.validate(List.of("-classpath")).contains("class path"));
        assertTrue(ChildCommand.validate(List.of("--module-path=x")).contains("module path"));
    }

    @Test
    void handshakeRoundTrips() throws Exception {
        Handshake h = new Handshake("worker 1", new int[] {3, 1}, true, 42L, "MainProcess", "FINE", true,
                "/tmp/x.exit", "FORKSERVER", "/tmp/app-", new byte[] {1, 2, 3});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        h.writeTo(bytes);
        Handshake r = Handshake.readFrom(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals("worker 1", r.name);
        assertEquals(List.of(3, 1), List.of(r.identity[0], r.identity[1]));
        assertTrue(r.daemon);
        assertEquals(42L, r.parentPid);
        assertEquals("MainProcess", r.parentName);
        assertEquals("FINE", r.logLevel);
        assertTrue(r.stderrHandler);
        assertEquals("/tmp/x.exit", r.reportPath);
        assertEquals("FORKSERVER", r.startMethod);
        assertEquals("/tmp/app-", r.recordingPrefix);
        assertEquals(3, r.payload.length);
    }

    @Test
    void anEmptyPipeMeansTheParentIsGoneAndGarbageIsNamed() {
        assertThrowsType(EOFException.class, () -> Handshake.readFrom(new ByteArrayInputStream(new byte[0])));
        Exception e = assertThrowsType(java.io.IOException.class,
                () -> Handshake.readFrom(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 0, 0, 0, 1})));
        assertTrue(e.getMessage().contains("not a multiprocessing4j handshake"), e.getMessage());
    }

    private static <T extends Exception> T assertThrowsType(Class<T> type, Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(type, call);
    }
}
