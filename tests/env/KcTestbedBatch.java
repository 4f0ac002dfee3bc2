/*
 * KcTestbedBatch - run several Kafka command line tools in one JVM, one after another.
 *
 *   java -cp "LIB/*:DIR" KcTestbedBatch MainClass args... [--next MainClass args...]...
 *
 * Used by tests/env/testbed (which compiles it into the jar cache): every JVM start costs
 * seconds on a 2-core machine, and `up` needs one StorageTool format per node and four
 * AclCommand runs. Each tool's own main() is called unchanged. A tool that ends with
 * Kafka's Exit.exit(0) (StorageTool does) goes on to the next run; any other exit code
 * ends this JVM with that code, as if the tool had been run on its own.
 */
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.utils.Exit;

public final class KcTestbedBatch {
    /** Thrown by the exit procedure to unwind a tool that exits with status 0. */
    private static final class ExitZero extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExitZero() {
            super(null, null, false, false);
        }
    }

    public static void main(String[] args) throws Exception {
        Exit.setExitProcedure((code, message) -> {
            if (code == 0) {
                throw new ExitZero();
            }
            if (message != null) {
                System.err.println(message);
            }
            System.out.flush();
            System.exit(code);
        });

        List<List<String>> runs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--next")) {
                runs.add(current);
                current = new ArrayList<>();
            } else {
                current.add(arg);
            }
        }
        runs.add(current);

        for (List<String> run : runs) {
            if (run.isEmpty()) {
                continue;
            }
            // the command line, SCRAM passwords masked (this output is a log: no secret in clear)
            System.out.println("=== " + String.join(" ", run).replaceAll("password=[^,\\]\\s]*", "password=[hidden]"));
            Method main = Class.forName(run.get(0)).getMethod("main", String[].class);
            String[] toolArgs = run.subList(1, run.size()).toArray(new String[0]);
            try {
                main.invoke(null, (Object) toolArgs);
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof ExitZero)) {
                    System.out.flush();
                    e.getCause().printStackTrace();
                    System.exit(1);
                }
            }
            System.out.flush();
        }
        System.exit(0);
    }
}
