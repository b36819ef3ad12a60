/**
 * Entry point of `npm run add-cluster`; see ./add-cluster-command.ts for flags, behaviour and exit codes.
 */
import { runAddCluster } from "./add-cluster-command";

runAddCluster(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  },
  (error: unknown) => {
    process.stderr.write(
      `add-cluster failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
