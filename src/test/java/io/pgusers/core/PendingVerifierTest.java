package io.pgusers.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The verifiers computed in the background: however many are asked for at once, they hold at most one thread per
 * core (a flood of requests that each start one and give up leaves no pile of threads), and each is the verifier of
 * its own password. The verifiers themselves log in: every create and update-password test does.
 */
class PendingVerifierTest {
    @Test
    void fiftyAtOnceHoldAtMostOneThreadPerCoreAndEachGetsItsOwnVerifier() throws Exception {
        List<PendingVerifier> pending = new ArrayList<>();
        Set<Thread> hashing = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            try (Password password = Password.generate()) {
                pending.add(password.scramVerifierInBackground());
            }
            Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("pgusers-scram")).forEach(hashing::add);
        }
        Set<String> verifiers = new HashSet<>();
        for (PendingVerifier verifier : pending) {
            String value = verifier.get();
            assertTrue(value.matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+"), value);
            verifiers.add(value);
            verifier.close();
        }
        assertEquals(50, verifiers.size(), "fifty passwords, fifty verifiers");
        assertTrue(!hashing.isEmpty() && hashing.size() <= Runtime.getRuntime().availableProcessors(),
                "threads that hashed: " + hashing.size() + ", cores: " + Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aDiscardedVerifierIsNotHandedOut() {
        PendingVerifier verifier;
        try (Password password = Password.generate()) {
            verifier = password.scramVerifierInBackground();
        }
        verifier.close();
        assertThrows(IllegalStateException.class, verifier::get);
    }
}
