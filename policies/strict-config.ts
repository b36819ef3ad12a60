/**
 * Config keys a rule does not declare are refused by the pack itself. CrossGuard validates a policy's config only
 * against its schema's `properties` (JSON Schema lets any other key through, and the SDK never sends
 * `additionalProperties`), so `"minZone": 2` under `nodes-span-zones` would silently keep the default of
 * `minZones`. Every rule is wrapped so that, before it validates anything, the keys `getConfig()` returns are
 * checked against its schema; an unknown key stops the preview with an error naming it, whatever the rule's
 * enforcement level.
 *
 * Policy names are a different matter: CrossGuard passes the pack only the config of its own policies, so a
 * misspelt policy name never reaches it. The offline runner (`npm run plan`) and the tests check the config files
 * for that (tools/policy-runner.ts).
 */
import type { Policy, PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** One problem per key of `values` that `schema` does not declare, as `<policy>.<key>: <what is wrong> — <fix>`. */
export function unknownConfigKeys(policy: string, schema: PolicyConfigSchema | undefined, values: object): string[] {
  const known = Object.keys(schema?.properties ?? {});
  return Object.keys(values)
    .filter((k) => !known.includes(k))
    .map((k) =>
      known.length === 0
        ? `${policy}.${k}: ${policy} takes no config — remove it`
        : `${policy}.${k}: unknown config property — use ${known.join(", ")}`,
    );
}

/** Throws when the policy's config names a key its schema does not declare. */
function refuseUnknownKeys(policy: Policy, config: object): void {
  const problems = unknownConfigKeys(policy.name, policy.configSchema, config);
  if (problems.length > 0) {
    throw new Error(`invalid policy config: ${problems.join("; ")}`);
  }
}

/** The rule, refusing unknown config keys before it validates a resource or the stack. */
export function strictConfig<P extends ResourceValidationPolicy | StackValidationPolicy>(policy: P): P {
  if ("validateStack" in policy && typeof policy.validateStack === "function") {
    const validate = policy.validateStack;
    return {
      ...policy,
      validateStack: (args, report) => {
        refuseUnknownKeys(policy, args.getConfig());
        return validate(args, report);
      },
    };
  }
  const resourcePolicy = policy as ResourceValidationPolicy;
  if (resourcePolicy.validateResource === undefined) {
    return policy;
  }
  const validations = [resourcePolicy.validateResource].flat();
  return {
    ...policy,
    validateResource: validations.map((validate) => (args, report) => {
      refuseUnknownKeys(policy, args.getConfig());
      return validate(args, report);
    }),
  };
}
