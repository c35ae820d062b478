/**
 * A real Prometheus on a free local port, for tests that need the server itself: what it loads and
 * how its rules evaluate. Every wait is bounded, and `stop` always ends the process.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface PrometheusServer {
  readonly url: string;
  /** What the server logged, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A port nothing listens on now: the kernel picks it, we let it go, Prometheus takes it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts Prometheus on `config` and resolves once `/-/ready` answers; rejects (and stops it) otherwise. */
export async function startPrometheus(config: string, scratch: string, readyWithinMs: number): Promise<PrometheusServer> {
  const port = await freePort();
  const storage = mkdtempSync(join(scratch, 'tsdb-'));
  const child = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${storage}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: PrometheusServer = {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: async () => {
      await stop(child, exited);
      rmSync(storage, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + readyWithinMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${server.url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) return server;
    await sleep(250);
  }
  await server.stop();
  throw new Error(`Prometheus on ${config} was not ready within ${readyWithinMs / 1000} s (exit ${child.exitCode}):\n${log}`);
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  // Prometheus flushes its head block on SIGTERM; an empty one takes moments. Then no more waiting.
  const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
