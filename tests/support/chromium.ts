// No vitest here: benchmarks launch the same browser outside the test runner.

/** Debian's Chromium (`apt-get install -y chromium`). Browser builds are never downloaded. */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Flags for a closed network: without the background-networking ones Chromium keeps
 * trying to reach Google's hosts and has its connections refused.
 */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
