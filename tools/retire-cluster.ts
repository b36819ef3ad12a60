/**
 * Entry point of `npm run retire-cluster`; see ./retire-cluster-command.ts for flags, behaviour and exit codes.
 */
import { runCli } from "./cli";
import { runRetireCluster } from "./retire-cluster-command";

runCli("retire-cluster", runRetireCluster(process.argv.slice(2)));
