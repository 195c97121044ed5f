import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type AnvilOptions = {
  /**
   * Keep the chain in this file across restarts: loaded on start, dumped every second while
   * running (so a crash loses at most about a second of blocks) and on stop.
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
  /** SIGTERM, then wait for exit (anvil dumps its state file on the way out). */
  stop(): Promise<void>;
};

const startTimeoutMs = 20_000;
const stopTimeoutMs = 10_000;
const stateIntervalSeconds = 1;
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
  if (options.stateFile) {
    fs.mkdirSync(path.dirname(options.stateFile), { recursive: true });
    args.push("--state", options.stateFile, "--state-interval", String(stateIntervalSeconds));
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
  const stop = async () => {
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
    return { rpcUrl, chainId, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
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
