// Mocha's spec reporter, plus: a JSON line of the run's counts written to $TIER_STATS_FILE, so the test
// driver can total every tier (unit in Node, integration in the extension host, e2e in Chromium); and, with
// $TIER_LOG_FILE, a copy of the report in a file (the extension host's console is too noisy to relay).
'use strict';
const fs = require('fs');
const util = require('util');
const Mocha = require('mocha');

class TierReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    const logFile = process.env.TIER_LOG_FILE;
    if (logFile) {
      fs.writeFileSync(logFile, '');
      const original = Mocha.reporters.Base.consoleLog;
      Mocha.reporters.Base.consoleLog = (...args) => {
        fs.appendFileSync(logFile, util.format(...args) + '\n');
        original(...args);
      };
    }
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.TIER_STATS_FILE;
      if (!file) return;
      const s = runner.stats || {};
      fs.writeFileSync(file, JSON.stringify({ passed: s.passes || 0, failed: s.failures || 0, pending: s.pending || 0 }));
    });
  }
}
module.exports = TierReporter;
