import { describe, expect, it } from "vitest";
import { checkAddresses } from "../../plan/addresses";
import { renderIssue, SpecError } from "../../plan/issues";
import { checkFleetConfig, parseFleetSpec } from "../../plan/spec";
import { clusterInput } from "../support/fixtures";

const retired = [{ slot: 1, cluster: "gcp-usc1" }];

function problems(raw: unknown): string[] {
  return checkFleetConfig(raw, "prod").map(renderIssue);
}

describe("retiredSlots", () => {
  it("defaults to none and keeps what the stack lists", () => {
    expect(parseFleetSpec({ mesh: "istio", clusters: [clusterInput(0)] }, "prod").retiredSlots).toEqual([]);
    const spec = parseFleetSpec({ mesh: "istio", clusters: [clusterInput(0)], retiredSlots: retired }, "prod");
    expect(spec.retiredSlots).toEqual(retired);
  });

  it("refuses a hand-written cluster on a retired slot, with the reason", () => {
    const raw = { mesh: "istio", clusters: [clusterInput(0), clusterInput(2, { slot: 1 })], retiredSlots: retired };
    expect(problems(raw)).toEqual([
      "multicluster-mesh:clusters[1].slot: slot was retired with cluster gcp-usc1; its ranges may still be in other clusters' routes, allow lists and remote secrets (1) — never reuse a retired slot: use the next never-used slot (npm run add-cluster picks it)",
    ]);
    expect(() => parseFleetSpec(raw, "prod")).toThrow(SpecError);
  });

  it("accepts clusters on every other slot", () => {
    const raw = { mesh: "istio", clusters: [clusterInput(0), clusterInput(2)], retiredSlots: retired };
    expect(problems(raw)).toEqual([]);
  });

  it("names malformed entries by path", () => {
    expect(
      problems({ mesh: "istio", clusters: [clusterInput(0)], retiredSlots: [{ slot: -1, cluster: "x" }, 3] }),
    ).toEqual([
      "multicluster-mesh:retiredSlots[0].slot: slot must not be negative (-1) — write the retired cluster's slot",
      "multicluster-mesh:retiredSlots[1]: must be an object (3) — write an object here",
    ]);
  });

  it("is never suggested as a free slot by the address planner", () => {
    const spec = parseFleetSpec(
      { mesh: "istio", clusters: [clusterInput(0), clusterInput(2, { slot: 256 })], retiredSlots: retired },
      "prod",
    );
    expect(checkAddresses(spec).map((i) => i.fix)).toEqual(["use a free slot from 0 to 255, e.g. 2"]);
  });
});
