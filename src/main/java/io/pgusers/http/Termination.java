package io.pgusers.http;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for SIGTERM (or SIGINT) so that the service can stop in order and exit 0. The JVM's own answer to
 * SIGTERM runs shutdown hooks and exits 143; only {@code sun.misc.Signal} (module jdk.unsupported, kept
 * for this by JEP 260) lets a program handle the signal itself. It is called reflectively, which keeps
 * javac's unsuppressible "internal proprietary API" warning out of the build; should it be missing, a
 * shutdown hook still stops the service in order, and the exit status is 143.
 */
final class Termination {
    private static final Logger LOG = LoggerFactory.getLogger(Termination.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);

    /** Installs the handlers; {@link #await()} then returns once a termination signal arrived. */
    static Termination listen() {
        Termination termination = new Termination();
        boolean handled = termination.handle("TERM") & termination.handle("INT");
        if (!handled) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                termination.requested.countDown();
                try {
                    termination.done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pgusers-serve-stop"));
        }
        return termination;
    }

    void await() throws InterruptedException {
        requested.await();
    }

    /** The service has stopped: a shutdown hook waiting for it may let the JVM go. */
    void stopped() {
        done.countDown();
    }

    private boolean handle(String name) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object onSignal = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            requested.countDown();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "pgusers termination handler";
                    });
            Method handle = signal.getMethod("handle", signal, handler);
            handle.invoke(null, signal.getConstructor(String.class).newInstance(name), onSignal);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("cannot handle SIG{} ourselves: {}", name, e.toString());
            return false;
        }
    }
}
