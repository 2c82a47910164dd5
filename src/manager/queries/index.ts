/**
 * The read model: typed views of the Storm for every reader (chat, stormcli, the dashboard, the
 * public summary). Pure functions of a `ReadSource`.
 */
export * from './views.ts'
export { type ReadSource, TIGHTROPE_BALANCE, stormBalance, hasGovernance } from './read_source.ts'
export { membersView, stakeOf } from './members.ts'
export { nodeName, memberName } from './names.ts'
export { channelGraph, balanceOf } from './channel_graph.ts'
export { feesView } from './fees_and_votes.ts'
export { pendingView, directiveView } from './pending.ts'
export { flowView, earningsView } from './flow.ts'
export { stormView, type StormViewOptions } from './storm_view.ts'
export { publicSummary, summaryJsonSchema, StormSummarySchema, SUMMARY_SCHEMA_ID, type StormSummary } from './public_summary.ts'
