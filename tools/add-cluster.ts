/**
 * Entry point of `npm run add-cluster`; see ./add-cluster-command.ts for flags, behaviour and exit codes.
 */
import { runAddCluster } from "./add-cluster-command";
import { runCli } from "./cli";

runCli("add-cluster", runAddCluster(process.argv.slice(2)));
