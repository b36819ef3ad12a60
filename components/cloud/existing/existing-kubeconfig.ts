/**
 * Reading the kubeconfig of an existing cluster: is the configured value the file's contents or a path to it, and
 * which CA does the selected context trust. Pure: no file access (a path is left to the Kubernetes provider).
 *
 * Errors never quote the kubeconfig: it holds credentials.
 */
import { isDocument, parseDocument } from "yaml";

type Mapping = Record<string, unknown>;

function isMapping(v: unknown): v is Mapping {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseMapping(value: string): Mapping | undefined {
  const doc = parseDocument(value, { prettyErrors: false });
  if (!isDocument(doc) || doc.errors.length > 0) {
    return undefined;
  }
  const parsed: unknown = doc.toJS();
  return isMapping(parsed) ? parsed : undefined;
}

/**
 * True when the value is a kubeconfig's contents (YAML or JSON, a mapping, or anything spanning several lines);
 * false when it is a path to a kubeconfig file.
 */
export function isInlineKubeconfig(value: string): boolean {
  return value.includes("\n") || parseMapping(value) !== undefined;
}

/** One named entry of a kubeconfig list (`clusters`, `contexts`), or undefined. */
function entry(doc: Mapping, list: string, name: string): Mapping | undefined {
  const items = doc[list];
  if (!Array.isArray(items)) {
    return undefined;
  }
  const found: unknown = items.find((item: unknown) => isMapping(item) && item["name"] === name);
  return isMapping(found) ? found : undefined;
}

function names(doc: Mapping, list: string): string[] {
  const items = doc[list];
  return Array.isArray(items)
    ? items.flatMap((i: unknown) => (isMapping(i) && typeof i["name"] === "string" ? [i["name"]] : []))
    : [];
}

/**
 * The `certificate-authority-data` of the cluster the selected context points at: `context` if given, otherwise the
 * kubeconfig's `current-context`. Returns undefined when that cluster carries no inline CA (a `certificate-authority`
 * file, or none); throws when the contents are not a kubeconfig or the context does not exist.
 */
export function kubeconfigCaData(contents: string, context?: string): string | undefined {
  const doc = parseMapping(contents);
  if (doc === undefined) {
    throw new Error("the kubeconfig is not a YAML or JSON mapping — give the kubeconfig's contents or a path to it");
  }
  const current = doc["current-context"];
  const selected = context ?? (typeof current === "string" && current !== "" ? current : undefined);
  if (selected === undefined) {
    throw new Error("the kubeconfig sets no current-context — set existing.context to one of its contexts");
  }
  const ctx = entry(doc, "contexts", selected)?.["context"];
  if (!isMapping(ctx)) {
    const known = names(doc, "contexts");
    throw new Error(
      `the kubeconfig has no context named ${JSON.stringify(selected)} — ` +
        (known.length > 0 ? `use one of: ${known.join(", ")}` : "add the context to the kubeconfig"),
    );
  }
  const clusterName = ctx["cluster"];
  const cluster = typeof clusterName === "string" ? entry(doc, "clusters", clusterName)?.["cluster"] : undefined;
  const caData = isMapping(cluster) ? cluster["certificate-authority-data"] : undefined;
  return typeof caData === "string" && caData !== "" ? caData : undefined;
}
