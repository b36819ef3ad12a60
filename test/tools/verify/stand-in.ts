/**
 * A stand-in Kubernetes API server for the verify tests: plain HTTP on 127.0.0.1 at a random port, answering the
 * exact paths the client requests with the objects it was given, and 404 with a Kubernetes `Status` otherwise. It
 * records every request (method, path and query) so tests can assert what was asked, and that nothing was written.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface StandIn {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request as `<METHOD> <path>?<query>`. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Routes: path (no query) → the JSON body to answer with 200. */
export type Routes = Readonly<Record<string, unknown>>;

function notFound(path: string): unknown {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: `the server could not find the requested resource (${path})`,
    reason: "NotFound",
    details: {},
    code: 404,
  };
}

async function listen(server: Server, sockets: Set<Socket>): Promise<string> {
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("stand-in has no port");
  return `http://127.0.0.1:${address.port}`;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/** A stand-in that answers `routes`. */
export async function startStandIn(routes: Routes): Promise<StandIn> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    // Like the real API server (Go's net/http), the path is matched decoded: `pods/istiod-x%3A15014/proxy/debug%2Fclusterz`.
    const path = decodeURIComponent(url.pathname);
    requests.push(`${req.method ?? ""} ${path}${decodeURIComponent(url.search)}`);
    const body = req.method === "GET" ? routes[path] : undefined;
    res.setHeader("content-type", "application/json");
    if (body === undefined) {
      res.statusCode = 404;
      res.end(JSON.stringify(notFound(path)));
      return;
    }
    res.statusCode = 200;
    res.end(JSON.stringify(body));
  });
  const url = await listen(server, sockets);
  return { url, requests, close: closer(server, sockets) };
}

/** A stand-in that accepts connections and never answers. */
export async function startSilentStandIn(): Promise<StandIn> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req) => {
    requests.push(`${req.method ?? ""} ${req.url ?? ""}`);
  });
  const url = await listen(server, sockets);
  return { url, requests, close: closer(server, sockets) };
}

/** An address where nothing listens: a stand-in started and closed again. */
export async function closedAddress(): Promise<string> {
  const standIn = await startStandIn({});
  await standIn.close();
  return standIn.url;
}

/**
 * A kubeconfig (bearer token, no exec plugin) for a stand-in, as the stack outputs carry one. The stand-in speaks plain
 * HTTP, which @kubernetes/client-node only allows with TLS verification off.
 */
export function kubeconfigFor(cluster: string, server: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster, cluster: { server, "insecure-skip-tls-verify": true } }],
    contexts: [{ name: cluster, context: { cluster, user: "verify" } }],
    "current-context": cluster,
    users: [{ name: "verify", user: { token: "stand-in-token" } }],
  });
}
