/**
 * The Node options the manager's process runs with: `npm start` passes them (package.json), and
 * the load test and the connections bench start their manager process with the same, so what they
 * measure is the process as it runs.
 *
 * `--max-semi-space-size=8` (MiB): V8 sizes the young generation from the machine's memory, up to
 * 64 MiB a semi-space on a machine with a few GiB, and grows it when many objects survive — as
 * they do while the manager loads its state or thousands of agents connect. Two semi-spaces of
 * 64 MiB stayed resident after every collection: 69 MiB of a 224 MiB process with no connection,
 * ~100 MiB of one with 3,000 (`npm run bench -- connections`). At 8 MiB young objects are
 * collected more often: the reports bench's whole receive path did 2,531–2,706 reports per CPU
 * second with it, 2,866–3,165 without (two runs each on a busy machine; the runs' spreads overlap).
 */
export const MANAGER_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=8']
