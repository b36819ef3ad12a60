import { describe, expect, it } from "vitest";
import { edit, istioSpec, messagesOf, record, urnIn, violationsOf } from "./support";

const HOUR = 3_600_000;
const istio = () => record(istioSpec());
/** An RFC 3339 time `hours` from now, and the day the rules print for it. */
const fromNow = (hours: number): string => new Date(Date.now() + hours * HOUR).toISOString();
const dayOf = (iso: string): string => iso.slice(0, 10);

describe("intermediate-within-root", () => {
  it("passes intermediates issued now under a root issued now (2 of 10 years)", async () => {
    expect(messagesOf(await istio(), "intermediate-within-root")).toEqual([]);
  });

  it("fails an intermediate issued now when its root ends sooner than the intermediate's validity", async () => {
    const base = await istio();
    const rootEnd = fromNow(8760); // one year left; intermediates are issued for two
    const run = edit(base).set("prod-root-cert-root-1", "validityEndTime", rootEnd).run();
    const violations = violationsOf(run, "intermediate-within-root");
    expect(violations.map((v) => v.urn)).toEqual([
      urnIn(base, "aws-use1-intermediate-cert-root-1-g1"),
      urnIn(base, "gcp-usc1-intermediate-cert-root-1-g1"),
    ]);
    const end = dayOf(new Date(Date.now() + 17520 * HOUR).toISOString());
    expect(violations[0]).toMatchObject({
      enforcement: "mandatory",
      message: `cluster aws-use1: the intermediate CA would end after the root CA that signed it (ends ${end}, root prod-root-cert-root-1 ends ${dayOf(rootEnd)}) — rotate the root (README "Trust": root rotation), or lower multicluster-mesh:trust.intermediateValidityHours to at most 8759`,
    });
  });

  it("compares recorded end dates: an existing intermediate ending before its root passes, one ending after fails", async () => {
    const base = edit(await istio())
      .set("prod-root-cert-root-1", "validityEndTime", fromNow(8760))
      .set("gcp-usc1-intermediate-cert-root-1-g1", "validityEndTime", fromNow(4000));
    const after = fromNow(9000);
    base.set("aws-use1-intermediate-cert-root-1-g1", "validityEndTime", after);
    expect(messagesOf(base.run(), "intermediate-within-root").map((m) => m.split(":")[0])).toEqual([
      "cluster aws-use1",
    ]);
    base.set("aws-use1-intermediate-cert-root-1-g1", "validityEndTime", fromNow(8000));
    expect(messagesOf(base.run(), "intermediate-within-root")).toEqual([]);
  });
});

describe("certificate-renewal-window", () => {
  it("passes certificates issued now and certificates far from their end", async () => {
    expect(messagesOf(await istio(), "certificate-renewal-window")).toEqual([]);
    const far = edit(await istio()).set("aws-use1-intermediate-cert-root-1-g1", "validityEndTime", fromNow(2000));
    expect(messagesOf(far.run(), "certificate-renewal-window")).toEqual([]);
  });

  it("warns for an intermediate inside its renewal window (its earlyRenewalHours, 720)", async () => {
    const base = await istio();
    const end = fromNow(24 * 20 + 1);
    const run = edit(base).set("aws-use1-intermediate-cert-root-1-g1", "validityEndTime", end).run();
    expect(violationsOf(run, "certificate-renewal-window")).toEqual([
      {
        policy: "certificate-renewal-window",
        enforcement: "advisory",
        urn: urnIn(base, "aws-use1-intermediate-cert-root-1-g1"),
        message: `cluster aws-use1: the intermediate CA is inside its renewal window (ends ${dayOf(end)}, in 20 days) — run pulumi up to re-issue it (a new key and certificate; istiod reloads cacerts)`,
      },
    ]);
    // A longer configured window warns earlier.
    const early = edit(base).set("aws-use1-intermediate-cert-root-1-g1", "validityEndTime", fromNow(24 * 50 + 1));
    expect(messagesOf(early.run(), "certificate-renewal-window")).toEqual([]);
    expect(messagesOf(early.run(), "certificate-renewal-window", { windowHours: 24 * 60 })).toHaveLength(1);
  });

  it("tells to rotate a root inside its window rather than re-issue it", async () => {
    const end = fromNow(24 * 10 + 1);
    const run = edit(await istio())
      .set("prod-root-cert-root-1", "validityEndTime", end)
      .run();
    expect(messagesOf(run, "certificate-renewal-window")).toEqual([
      `root CA prod-root-cert-root-1: the root CA is inside its renewal window (ends ${dayOf(end)}, in 10 days) — rotate the root now (README "Trust": root rotation); re-issuing it in place would break every cluster's trust`,
    ]);
  });
});
