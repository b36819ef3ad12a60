/**
 * Where the accepted synthetic fleets end, for the benchmark: the largest fleet of a mesh over some clouds that the
 * config accepts (the address space, Istio's cap, the clouds' rule and address limits), and why the next is refused.
 */
import { SLOT_PREFIX } from "../plan/address-layout";
import { checkFleet } from "../plan";
import { renderIssue, SpecError } from "../plan/issues";
import { type SyntheticCloud, type SyntheticMesh, syntheticFleetSpec } from "./synthetic-fleet";

/** The most clusters any fleet holds: one per /16 slot of the largest address space (a /8). */
export const MAX_SLOTS = 2 ** (SLOT_PREFIX - 8);

/** The sizes measured by default below the largest accepted one, which is always measured too. */
export const DEFAULT_STEPS: readonly number[] = [2, 10, 25, 50, 128];

/** Why a fleet of the size is refused, at once, or undefined when the config accepts it. */
export function refusal(size: number, mesh: SyntheticMesh, clouds: readonly SyntheticCloud[]): string | undefined {
  try {
    const issues = checkFleet(syntheticFleetSpec(size, "bench", mesh, clouds));
    return issues.length === 0 ? undefined : issues.map(renderIssue).join("\n");
  } catch (e) {
    if (e instanceof SpecError) {
      return e.issues.map(renderIssue).join("\n");
    }
    throw e;
  }
}

/**
 * The largest synthetic fleet of the mesh and clouds that the config accepts (refusals only grow with the fleet: the
 * address space, Istio's cap, the clouds' rule and address limits), up to one cluster per slot.
 */
export function largestAccepted(mesh: SyntheticMesh, clouds: readonly SyntheticCloud[]): number {
  let low = 1;
  let high = MAX_SLOTS;
  if (refusal(high, mesh, clouds) === undefined) {
    return high;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (refusal(mid, mesh, clouds) === undefined) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return low;
}

/** The default sizes: the steps below the largest accepted fleet, then that fleet. */
export function defaultSizes(largest: number): number[] {
  return [...DEFAULT_STEPS.filter((n) => n < largest), largest];
}

/** Where the accepted fleets end: the largest accepted size, and how the next one is refused. */
export interface FleetLimit {
  readonly mesh: SyntheticMesh;
  readonly clouds: readonly SyntheticCloud[];
  readonly largest: number;
  /** The next size up, refused (past the last slot, by the address space). */
  readonly next: { readonly clusters: number; readonly refusedInMs: number; readonly reason: string };
}

/** Finds the largest accepted fleet and times the refusal of the next size (in this process: parsing and checks). */
export function fleetLimit(mesh: SyntheticMesh, clouds: readonly SyntheticCloud[]): FleetLimit {
  const largest = largestAccepted(mesh, clouds);
  const start = performance.now();
  const reason = refusal(largest + 1, mesh, clouds) ?? "accepted";
  return { mesh, clouds, largest, next: { clusters: largest + 1, refusedInMs: performance.now() - start, reason } };
}
