import { describe, expect, it } from "vitest";
import { planFleet } from "../../plan";
import type { PlanDocument } from "../../tools/plan-document";
import { describePolicyConfig, renderText } from "../../tools/render-text";
import { fleetSpec } from "../support/fixtures";

function doc(violations: PlanDocument["violations"]): PlanDocument {
  return { project: "multicluster-mesh", stack: "dev", resources: [], outputs: {}, violations };
}

describe("the text format", () => {
  const plan = planFleet(fleetSpec(2));

  it("counts one violation in the singular, and several in the plural", () => {
    const one = { policy: "vpc-per-cluster", enforcement: "mandatory", urn: null, message: "m" } as const;
    expect(renderText(doc([one]), plan).split("\n")).toContain("Policies: 1 violation (1 mandatory)");
    expect(renderText(doc([one, one]), plan).split("\n")).toContain("Policies: 2 violations (2 mandatory)");
    expect(renderText(doc([]), plan).split("\n")).toContain("Protection: 0 protected resources");
  });

  it("describes a policy config by level, most severe first", () => {
    expect(
      describePolicyConfig({
        file: null,
        enforcement: { b: "advisory", a: "advisory", c: "mandatory", d: "disabled" },
      }),
    ).toBe("none (the pack's defaults) (mandatory: c; advisory: a, b; disabled: d)");
  });
});
