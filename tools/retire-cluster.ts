/**
 * Entry point of `npm run retire-cluster`; see ./retire-cluster-command.ts for flags, behaviour and exit codes.
 */
import { runRetireCluster } from "./retire-cluster-command";

runRetireCluster(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  },
  (error: unknown) => {
    process.stderr.write(
      `retire-cluster failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
