import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { GenericContainer, Wait } from 'testcontainers';

/*
 * A real EventStoreDB / KurrentDB node for the tests, started by testcontainers, and the one
 * question asked before: does a container runtime answer? This machine and CI have only a docker
 * client, no engine: then the suites that need a node are skipped, and each says so in one line.
 * There is no stand-in server: nothing else can show that Parley works on EventStoreDB.
 */

export const EVENTSTORE_IMAGE =
  process.env.PARLEY_TEST_EVENTSTORE_IMAGE ?? 'kurrentplatform/kurrentdb:25.0';
const HTTP_PORT = 2113;

export type ContainerRuntime = { available: true } | { available: false; reason: string };

/**
 * Asks testcontainers whether a container runtime answers. Jest decides what runs while it loads
 * a test file, before any hook, so the question is asked synchronously, in a child process.
 */
export function probeContainerRuntime(): ContainerRuntime {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('testcontainers').getContainerRuntimeClient().then(
        () => process.exit(0),
        (error) => { process.stderr.write(String((error && error.message) || error)); process.exit(1); })`,
    ],
    { cwd: resolve(__dirname, '../..'), encoding: 'utf8', timeout: 60_000 },
  );
  if (probe.status === 0) return { available: true };
  const said = (probe.stderr || probe.error?.message || `probe exited with ${probe.status}`)
    .trim()
    .split('\n')
    .pop();
  return { available: false, reason: said ?? 'unknown' };
}

/**
 * `describe` when a container runtime answers, else `describe.skip` after one plain line on
 * stdout naming what is skipped (`what`, in `file`) and why.
 */
export function describeWhenContainersRun(what: string, file: string): jest.Describe {
  const runtime = probeContainerRuntime();
  if (runtime.available) return describe;
  process.stdout.write(
    `SKIPPED: ${what} (${file}) — no container runtime for testcontainers: ${runtime.reason}\n`,
  );
  return describe.skip;
}

/** Environment for an insecure, in-memory single node; KurrentDB 25 reads KURRENTDB_*, older images EVENTSTORE_*. */
function nodeEnvironment(image: string): Record<string, string> {
  const prefix = /kurrent/i.test(image) ? 'KURRENTDB' : 'EVENTSTORE';
  return {
    [`${prefix}_CLUSTER_SIZE`]: '1',
    [`${prefix}_INSECURE`]: 'true',
    [`${prefix}_RUN_PROJECTIONS`]: 'None',
    [`${prefix}_MEM_DB`]: 'true',
  };
}

export interface EventStoreDbNode {
  /** `esdb://host:port?tls=false` of the node, as seen from this machine. */
  connectionString: string;
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts an insecure in-memory single node and resolves once it serves requests (allow 4 minutes for a first pull). */
export async function startEventStoreDbNode(): Promise<EventStoreDbNode> {
  const container: StartedTestContainer = await new GenericContainer(EVENTSTORE_IMAGE)
    .withEnvironment(nodeEnvironment(EVENTSTORE_IMAGE))
    .withExposedPorts(HTTP_PORT)
    // /health/live answers 204 once the node serves requests.
    .withWaitStrategy(
      Wait.forHttp('/health/live', HTTP_PORT).forStatusCodeMatching(
        (code) => code >= 200 && code < 300,
      ),
    )
    .withStartupTimeout(180_000)
    .start();
  const host = container.getHost();
  const port = container.getMappedPort(HTTP_PORT);
  return {
    connectionString: `esdb://${host}:${port}?tls=false`,
    host,
    port,
    stop: async () => {
      await container.stop();
    },
  };
}

/** A port on this machine that nothing listens on (bound, then released). */
export async function aClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 1;
}
