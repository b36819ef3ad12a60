/**
 * Read-only access to one cluster's API server through @kubernetes/client-node, with every request of the cluster
 * bound to one abort signal (the per-cluster timeout). Nothing here writes: only get, list and the GET proxy.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  type KubeConfig,
  type Middleware as PromiseMiddleware,
  ServerConfiguration,
  type V1Deployment,
  type V1Pod,
  type V1Secret,
  type V1Service,
} from "@kubernetes/client-node";

/** What a read found: the object, nothing (404), or an answer that is not the object (403, 500, ...). */
export type Read<T> =
  | { readonly kind: "found"; readonly value: T }
  | { readonly kind: "absent" }
  | { readonly kind: "error"; readonly message: string };

/** The API server could not be reached at all (refused, DNS, TLS, timeout): the cluster is unreachable. */
export class UnreachableError extends Error {}

export interface ClusterReader {
  readonly server: string;
  secret(namespace: string, name: string): Promise<Read<V1Secret>>;
  service(namespace: string, name: string): Promise<Read<V1Service>>;
  deployment(namespace: string, name: string): Promise<Read<V1Deployment>>;
  pods(namespace: string, labelSelector: string, fieldSelector: string): Promise<Read<V1Pod[]>>;
  /** GET `path` on a pod's port through the API server's pod proxy (`.../pods/<name>:<port>/proxy/<path>`). */
  podProxy(namespace: string, pod: string, port: number, path: string): Promise<Read<string>>;
  customObjects(group: string, version: string, namespace: string, plural: string): Promise<Read<unknown[]>>;
}

function abortOn(signal: AbortSignal): PromiseMiddleware {
  return {
    pre: (context) => {
      context.setSignal(signal);
      return Promise.resolve(context);
    },
    post: (context) => Promise.resolve(context),
  };
}

function describeHttp(e: ApiException<unknown>): string {
  const body = e.body;
  const message =
    typeof body === "object" && body !== null && typeof (body as { message?: unknown }).message === "string"
      ? (body as { message: string }).message
      : typeof body === "string" && body.length < 200
        ? body.trim()
        : "";
  return `HTTP ${e.code}${message ? `: ${message}` : ""}`;
}

async function read<T>(server: string, signal: AbortSignal, call: () => Promise<T>): Promise<Read<T>> {
  try {
    return { kind: "found", value: await call() };
  } catch (e) {
    if (e instanceof ApiException) {
      return e.code === 404 ? { kind: "absent" } : { kind: "error", message: describeHttp(e) };
    }
    if (signal.aborted) {
      throw new UnreachableError(`no answer from ${server} in time`);
    }
    throw new UnreachableError(`cannot reach ${server}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A reader for the kubeconfig's current context; every request is aborted when `signal` fires. */
export function clusterReader(kubeconfig: KubeConfig, signal: AbortSignal): ClusterReader {
  const cluster = kubeconfig.getCurrentCluster();
  if (cluster === null) {
    throw new UnreachableError("the kubeconfig's current context names no cluster");
  }
  const server = cluster.server;
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kubeconfig },
    promiseMiddleware: [abortOn(signal)],
  });
  const core = new CoreV1Api(configuration);
  const apps = new AppsV1Api(configuration);
  const custom = new CustomObjectsApi(configuration);
  return {
    server,
    secret: (namespace, name) => read(server, signal, () => core.readNamespacedSecret({ namespace, name })),
    service: (namespace, name) => read(server, signal, () => core.readNamespacedService({ namespace, name })),
    deployment: (namespace, name) => read(server, signal, () => apps.readNamespacedDeployment({ namespace, name })),
    pods: (namespace, labelSelector, fieldSelector) =>
      read(
        server,
        signal,
        async () => (await core.listNamespacedPod({ namespace, labelSelector, fieldSelector })).items,
      ),
    podProxy: (namespace, pod, port, path) =>
      read(server, signal, () =>
        core.connectGetNamespacedPodProxyWithPath({ namespace, name: `${pod}:${port}`, path }),
      ),
    customObjects: (group, version, namespace, plural) =>
      read(server, signal, async () => {
        const list = (await custom.listNamespacedCustomObject({ group, version, namespace, plural })) as {
          items?: unknown[];
        };
        return list.items ?? [];
      }),
  };
}
