/* global process */
// Preloaded (node --import) into a process the bench times: on exit, its CPU time (every thread, start-up included)
// as the last line on stderr, so the bench can read it without a platform's `time`.
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncpu-seconds ${(user + system) / 1e6}\n`);
});
