// A node:test reporter that writes only the totals, as JSON, for scripts/test.mjs.
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    // Suites report too; count leaf tests only (a suite's `details.type` is "suite").
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite') {
      if (event.data.skip || event.data.todo) counts.skipped += 1;
      else counts.passed += 1;
    } else if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      counts.failed += 1;
    }
  }
  yield JSON.stringify(counts);
}
