/**
 * Reads the project's stack config once, from wherever it lives, and validates it into a FleetSpec:
 * - `specFromPulumiConfig()` inside a real `pulumi up`/`preview` (Pulumi has already decrypted secrets);
 * - `specFromStackFile(path, environment)` for offline tools, straight from `stacks/Pulumi.<env>.yaml`.
 * Both throw a SpecError listing every problem before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { type Alias, type Document, isAlias, LineCounter, parseDocument, visit } from "yaml";
import { CONFIG_NAMESPACE, type Issue, SpecError } from "../plan/issues";
import { type FleetSpec, parseFleetSpec } from "../plan/spec";

/** Stands in for a `secure:` value offline, where the stack's secrets provider is out of reach. */
export const OFFLINE_SECRET_PLACEHOLDER = "[secret]";

/**
 * Keeps this project's entries of a stack's config, as Pulumi's loader reads them: a key without a namespace belongs
 * to the project (`mesh` is `multicluster-mesh:mesh`), `multicluster-mesh:config:<key>` is the legacy spelling of
 * `multicluster-mesh:<key>`, and keys of other namespaces (`aws:region`, `pulumi:…`) are the providers' and Pulumi's.
 */
export function projectConfig(entries: Record<string, unknown>): Record<string, unknown> {
  const ours: Record<string, unknown> = {};
  const legacy = `${CONFIG_NAMESPACE}:config:`;
  for (const [fullKey, value] of Object.entries(entries)) {
    const colon = fullKey.indexOf(":");
    if (colon < 0) {
      ours[fullKey] = value;
    } else if (fullKey.startsWith(legacy)) {
      ours[fullKey.slice(legacy.length)] = value;
    } else if (fullKey.slice(0, colon) === CONFIG_NAMESPACE) {
      ours[fullKey.slice(colon + 1)] = value;
    }
  }
  return ours;
}

/** Stand-in values for `secure:` leaves, by config key path (`trust.roots[0].keyPem`); see tools/stand-ins.ts. */
export type SecretStandIns = ReadonlyMap<string, string>;

/** The ciphertext of a `{ secure: "v1:…" }` leaf (encrypted stack config); undefined for any other value. */
export function ciphertextOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return undefined;
  }
  const entries = Object.entries(value);
  const [only] = entries;
  return entries.length === 1 && only?.[0] === "secure" ? String(only[1]) : undefined;
}

/** A config key path as issues name it: `a.b[0].c`. */
export function childPath(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
}

/** Replaces `secure:` leaves by their stand-in, else by a placeholder string. */
function withoutCiphertext(value: unknown, standIns: SecretStandIns, path = ""): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => withoutCiphertext(v, standIns, childPath(path, i)));
  }
  if (ciphertextOf(value) !== undefined) {
    return standIns.get(path) ?? OFFLINE_SECRET_PLACEHOLDER;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withoutCiphertext(v, standIns, childPath(path, k))]),
    );
  }
  return value;
}

/** Config keys whose values must never sit in a stack file as plaintext. */
const MUST_BE_SECRET = /^(keyPem|kubeconfig)$/;

/**
 * Private keys and inline kubeconfigs (YAML over several lines, or one-line JSON) written as plaintext in a stack file
 * (a kubeconfig *path* is fine): they would
 * be committed. Pulumi keeps `secure:` values encrypted; `pulumi config set --secret --path` writes them.
 */
export function checkPlaintextSecrets(value: unknown, path = ""): Issue[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => checkPlaintextSecrets(v, `${path}[${i}]`));
  }
  if (typeof value !== "object" || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, v]) => {
    const at = path === "" ? key : `${path}.${key}`;
    if (
      MUST_BE_SECRET.test(key) &&
      typeof v === "string" &&
      (key === "keyPem" || v.includes("\n") || /^\s*\{/.test(v))
    ) {
      return [
        {
          path: at,
          message: "is plaintext in the stack file",
          fix: `store it encrypted: pulumi config set --secret --path '${CONFIG_NAMESPACE}:${at}' < file`,
          value: v,
        },
      ];
    }
    return checkPlaintextSecrets(v, at);
  });
}

/** The first line of a YAML error message without the position the message repeats (`… at line 2, column 6:`). */
function problemText(message: string): string {
  return (message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
}

/** The first alias that names no anchor defined before it (toJS would throw on it, without a position). */
function danglingAlias(doc: Document): Alias | undefined {
  let found: Alias | undefined;
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * Parses a stack file's text into this project's raw config values; `secure:` values become their stand-ins (offline
 * tools compute them with tools/stand-ins.ts) or, without one, a placeholder.
 */
export function rawConfigFromStackYaml(
  text: string,
  file: string,
  standIns: SecretStandIns = new Map(),
): Record<string, unknown> {
  return withoutCiphertext(encryptedConfigFromStackYaml(text, file), standIns) as Record<string, unknown>;
}

/**
 * How far aliases may expand. The yaml library's default (100) refuses an ordinary large fleet whose clusters share a
 * setting by alias (`gcp: *project` in 256 clusters); go-yaml, which Pulumi uses, only stops expansions whose decoded
 * size runs away. This bound keeps any fleet's file and still stops an exponential expansion.
 */
export const MAX_ALIAS_RESOLUTIONS = 100_000;

/** This project's config values of a stack file, `secure:` leaves still encrypted (`{ secure: "v1:…" }`). */
export function encryptedConfigFromStackYaml(text: string, file: string): Record<string, unknown> {
  // As Pulumi's loader (go-yaml v3): a byte-order mark is dropped, anchors, aliases and `<<` merge keys resolve, CRLF
  // line ends are line ends. Every error or warning (an unknown tag, a duplicate key, an alias to no anchor) stops
  // here, with its line.
  const lines = new LineCounter();
  const parsed = parseDocument(text.replace(/^\uFEFF/, ""), { merge: true, lineCounter: lines });
  const notYaml = (offset: number | undefined, problem: string): SpecError => {
    const at = offset === undefined ? undefined : lines.linePos(offset);
    const where = at === undefined ? "" : ` at line ${at.line}, column ${at.col}`;
    return new SpecError([
      {
        path: "",
        message: `${file} is not valid YAML${where}: ${problem}`,
        fix: "fix the YAML there (Pulumi reads the file with the same rules)",
        value: undefined,
      },
    ]);
  };
  const problem = parsed.errors[0] ?? parsed.warnings[0];
  if (problem !== undefined) {
    throw notYaml(problem.pos[0], problemText(problem.message));
  }
  const dangling = danglingAlias(parsed);
  if (dangling !== undefined) {
    throw notYaml(dangling.range?.[0], `no anchor &${dangling.source} before this alias`);
  }
  let doc: unknown;
  try {
    doc = parsed.toJS({ maxAliasCount: MAX_ALIAS_RESOLUTIONS });
  } catch (e) {
    // The yaml library stops an alias expansion that grows without bound ("billion laughs") with a ReferenceError.
    if (e instanceof ReferenceError) {
      throw notYaml(undefined, `its aliases expand to more than ${MAX_ALIAS_RESOLUTIONS} nodes`);
    }
    throw e;
  }
  const config = typeof doc === "object" && doc !== null ? (doc as { config?: unknown }).config : undefined;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new SpecError([
      {
        path: "",
        message: `${file} has no config map`,
        fix: "write the settings under a top-level `config:` key, e.g. config: { multicluster-mesh:mesh: istio }",
        value: undefined,
      },
    ]);
  }
  const ours = projectConfig(config as Record<string, unknown>);
  const plaintext = checkPlaintextSecrets(ours);
  if (plaintext.length > 0) {
    throw new SpecError(plaintext);
  }
  return ours;
}

/** Reads a stack file's text; a SpecError naming the file when it cannot be read. */
export function readStackFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    const issue: Issue = {
      path: "",
      message: `stack file ${file} cannot be read`,
      fix: "pass --stack <env> for stacks/Pulumi.<env>.yaml, or --config <path to a stack file>",
      value: file,
    };
    throw new SpecError([issue]);
  }
}

/** Reads and validates a stack file. `environment` is the stack name (dev, staging, prod, ...). */
export function specFromStackFile(file: string, environment: string, standIns?: SecretStandIns): FleetSpec {
  return parseFleetSpec(rawConfigFromStackYaml(readStackFile(file), file, standIns), environment);
}

/** Pulumi hands structured config over as JSON text; plain strings stay strings. */
function decodeConfigValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Reads the project's config from the running Pulumi program (called once, at the top of index.ts). */
export function specFromPulumiConfig(): FleetSpec {
  const all = pulumi.runtime.allConfig();
  const raw = Object.fromEntries(Object.entries(projectConfig(all)).map(([k, v]) => [k, decodeConfigValue(String(v))]));
  return parseFleetSpec(raw, pulumi.getStack());
}
