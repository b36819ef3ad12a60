/**
 * The program: a validated FleetSpec in, the whole fleet registered, the stack outputs out.
 * index.ts runs it with the stack's config; tools/plan.ts and the tests run it under the mock runtime.
 */
import { Fleet } from "./components/fleet";
import { planFleet } from "./plan";
import type { FleetSpec } from "./plan/spec";

export function fleetProgram(spec: FleetSpec): Record<string, unknown> {
  const plan = planFleet(spec);
  const fleet = new Fleet(spec.environment, { spec, plan });
  return fleet.stackOutputs();
}
