// Preloaded (node --import) into a process the bench measures: prints its peak resident set at exit.
process.on("exit", () => {
  process.stderr.write(`\nVOORU_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
