import { describe, expect, it } from "vitest";
import { present, strings } from "../../policies/read";

/** What CrossGuard throws when a policy touches a value unknown at preview. */
class UnknownValueError extends Error {}

/** Props whose `spec.loadBalancerSourceRanges` is unknown at preview, the way CrossGuard hands them over. */
function unknownAt(key: string): Record<string, unknown> {
  return new Proxy({ [key]: "unknown" } as Record<string, unknown>, {
    get(target, p) {
      if (p === key) {
        throw new UnknownValueError(`${key} is unknown`);
      }
      return target[p as string];
    },
  });
}

describe("present", () => {
  it("tells a key set to a value unknown at preview from a key that is not set", () => {
    const props = { spec: unknownAt("loadBalancerSourceRanges") };
    expect(present(props, "spec", "loadBalancerSourceRanges")).toBe(true);
    expect(strings(props, "spec", "loadBalancerSourceRanges")).toBeUndefined();
    expect(present({ spec: {} }, "spec", "loadBalancerSourceRanges")).toBe(false);
    expect(present({ spec: { loadBalancerSourceRanges: undefined } }, "spec", "loadBalancerSourceRanges")).toBe(false);
    expect(present({ spec: { loadBalancerSourceRanges: [] } }, "spec", "loadBalancerSourceRanges")).toBe(true);
    expect(present({}, "spec", "loadBalancerSourceRanges")).toBe(false);
  });
});
