import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";

export type AnvilOptions = {
  /**
   * Keep the chain in this file across restarts: loaded on start, written every second while
   * blocks arrive (so a crash loses at most about a second of blocks) and on stop. We write it
   * ourselves (anvil_dumpState, then an atomic rename) rather than with anvil's --state,
   * which rewrites the file in place: a crash mid-write would leave a torn file that anvil
   * then refuses to load.
   */
  stateFile?: string;
  /** Listen on this port; by default anvil picks a free one. */
  port?: number;
  /** Mine a block every this many seconds instead of one per transaction. */
  blockTime?: number;
};

export type Anvil = {
  rpcUrl: string;
  chainId: number;
  /** The anvil process id, so a later start can stop an anvil its crashed parent left behind. */
  pid: number;
  /** Writes the state file (if any) one last time, then SIGTERM and wait for exit. */
  stop(): Promise<void>;
};

const startTimeoutMs = 20_000;
const stopTimeoutMs = 10_000;
const stateIntervalMs = 1_000;
// Enough of anvil's output to explain a failed start, without keeping its whole log.
const outputTailBytes = 16 * 1024;

const runningChildren = new Set<ChildProcess>();
let isExitHookInstalled = false;

/** Never leave an anvil behind when this process exits, whether or not stop() was called. */
function installExitHook(): void {
  if (isExitHookInstalled) return;
  isExitHookInstalled = true;
  process.on("exit", () => {
    for (const child of runningChildren) child.kill("SIGTERM");
  });
}

/**
 * The anvil binary from @foundry-rs/anvil's platform package (an optional dependency whose
 * postinstall may not have run), or ANVIL_BINARY when set.
 */
export function resolveAnvilBinary(): string {
  const fromEnv = process.env.ANVIL_BINARY;
  if (fromEnv) return fromEnv;
  const arch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch];
  const platform = ["linux", "darwin", "win32"].includes(process.platform) ? process.platform : "";
  const packageName = `@foundry-rs/anvil-${platform}-${arch}`;
  if (!arch || !platform) {
    throw new Error(`anvil has no binary package for ${process.platform}/${process.arch}`);
  }
  let packageDir: string;
  try {
    packageDir = path.dirname(
      createRequire(import.meta.url).resolve(`${packageName}/package.json`),
    );
  } catch {
    throw new Error(`${packageName} is not installed (run npm ci), or set ANVIL_BINARY`);
  }
  const binary = path.join(packageDir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
  if (!fs.existsSync(binary)) throw new Error(`anvil binary missing at ${binary}`);
  return binary;
}

/** Starts anvil on 127.0.0.1 and resolves once it answers eth_chainId. */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const args = ["--host", "127.0.0.1", "--port", String(options.port ?? 0)];
  const { stateFile } = options;
  if (stateFile) {
    fs.mkdirSync(path.dirname(stateFile), { recursive: true });
    if (fs.existsSync(stateFile)) args.push("--load-state", stateFile);
  }
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));

  installExitHook();
  const child = spawn(resolveAnvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  runningChildren.add(child);

  let output = "";
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-outputTailBytes);
  };
  // Always drain both pipes: anvil logs every request, and a full pipe would block it.
  child.stdout!.on("data", keepTail);
  child.stderr!.on("data", keepTail);

  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      runningChildren.delete(child);
      resolve();
    });
  });
  let saver: StateSaver | null = null;
  const stop = async () => {
    await saver?.close();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    const rpcUrl = await waitForListening(child, () => output);
    const chainId = await waitForChainId(rpcUrl, child, () => output);
    if (stateFile) saver = startStateSaver(rpcUrl, stateFile);
    return { rpcUrl, chainId, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function rpc<T>(rpcUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * Writes the chain's state to `file` the way `--load-state` reads it: anvil_dumpState
 * (gzipped JSON), unzipped, to a temporary file that is then renamed over the old one, so
 * a crash mid-write never leaves a torn file. Also used to rescue an orphaned anvil's state.
 */
export async function dumpAnvilState(rpcUrl: string, file: string): Promise<void> {
  const hex = await rpc<string>(rpcUrl, "anvil_dumpState");
  const json = gunzipSync(Buffer.from(hex.slice(2), "hex"));
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await fs.promises.open(temporary, "w");
  try {
    await handle.writeFile(json);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, file);
}

type StateSaver = { close(): Promise<void> };

/** Saves the state every second while new blocks arrive, and once more on close. */
function startStateSaver(rpcUrl: string, file: string): StateSaver {
  let savedAt: string | null = null;
  let saving: Promise<void> = Promise.resolve();
  const save = (force: boolean) => {
    saving = saving.then(async () => {
      try {
        const head = await rpc<string>(rpcUrl, "eth_blockNumber");
        if (!force && head === savedAt) return;
        await dumpAnvilState(rpcUrl, file);
        savedAt = head;
      } catch {
        // anvil is going away; the last good file stays in place.
      }
    });
    return saving;
  };
  void save(true);
  const timer = setInterval(() => void save(false), stateIntervalMs);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await save(true);
    },
  };
}

function startFailure(message: string, output: string): Error {
  return new Error(`anvil ${message}; its output ends with:\n${output.slice(-4000)}`);
}

/** anvil prints `Listening on 127.0.0.1:PORT` once its RPC server is bound. */
function waitForListening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, url?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      if (error) reject(error);
      else resolve(url!);
    };
    const onData = () => {
      const match = /Listening on (\S+):(\d+)/.exec(output());
      if (match) finish(null, `http://${match[1]}:${match[2]}`);
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(startFailure(`exited during start (code ${code}, signal ${signal})`, output()));
    const onError = (error: Error) =>
      finish(startFailure(`could not be started: ${error}`, output()));
    const timer = setTimeout(
      () => finish(startFailure(`did not start within ${startTimeoutMs / 1000} s`, output())),
      startTimeoutMs,
    );
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

async function waitForChainId(
  rpcUrl: string,
  child: ChildProcess,
  output: () => string,
): Promise<number> {
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw startFailure(`exited during start (code ${child.exitCode})`, output());
    }
    try {
      const response = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      const body = (await response.json()) as { result?: string };
      if (typeof body.result === "string") return Number.parseInt(body.result, 16);
    } catch {
      // Not answering yet.
    }
    if (Date.now() > deadline) {
      throw startFailure(`did not answer eth_chainId within ${startTimeoutMs / 1000} s`, output());
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
