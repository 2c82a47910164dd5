## The dashboard (web pages the manager serves)

dash-nav-overview = Overview
dash-nav-storm = Members' view
dash-nav-compare = Compare Storms
dash-logout = log out
dash-live = ● live
dash-offline = ○ reconnecting…
dash-sats = {$n} sats
dash-fee = base {$base} msat · rate {$rate} ppm

dash-fig-members = members
dash-fig-channels = channels
dash-fig-capacity = capacity
dash-fig-fee = consensus fee
dash-fig-earnings = per 1M sats per day

dash-unknown-not-reported = not reported yet
dash-unknown-not-yet-available = not available yet
dash-unknown-no-data = no data yet
dash-unknown-too-short = not enough data yet (under an hour of reports)

dash-members = Members
dash-col-member = Member
dash-col-status = Status
dash-col-online = Agent
dash-col-stake = Stake (sats)
dash-col-share = Share
dash-col-rating = Rating
dash-col-channels = Channels
dash-col-choice = Choice
dash-col-voters = Voters
dash-col-weight = Weight
dash-col-id = Id
dash-col-what = What
dash-col-expires = Expires
dash-online = online
dash-offline-member = offline
dash-stake-allocations = stake from the member's allocations (no report from its agent yet)
dash-status-requested = asked to join
dash-status-active = active
dash-status-leaving = leaving
dash-status-left = left
dash-status-banned = banned

dash-graph = Channel graph
dash-graph-empty = No paired members yet.
dash-graph-channel = {$a} → {$b}: {$capacity} sats, {$share} on {$a}'s side (balance point {$point}) — {$zone}
dash-graph-channel-unknown = {$a} → {$b}: {$capacity} sats, {$state}, balances not reported yet
dash-zone-balanced = balanced
dash-zone-a-heavy = too much on the opener's side
dash-zone-b-heavy = too much on the far side
dash-chan-active = active
dash-chan-inactive = inactive
dash-chan-opening = opening
dash-chan-closing = closing
dash-legend-balanced = within the dead zone
dash-legend-drifting = drifting
dash-legend-far = far off
dash-legend-unknown = not reported / opening
dash-balance-point = Balance point {$point} on each channel's opening side, dead zone ±{$deadzone}; the dot sits where the balance is.
dash-balance-from-rules = (from the Storm's rebalancing rules)
dash-balance-from-default = (Tightrope's defaults)

dash-fees = Consensus fees and votes
dash-consensus = Every Storm channel charges base {$base} msat and {$rate} ppm.
dash-consensus-default = These are the Storm's defaults: no vote has decided them yet.
dash-consensus-decided = Decided by vote on {$at}.
dash-votes = Vote distribution (weighed by stake)
dash-votes-none = No standing fee votes.
dash-votes-summary = {$voters} members voted, holding {$share} of the stake.

dash-pending = Pending directives and votes
dash-pending-none = Nothing pending: every directive has finished.
dash-proposals = Open proposals
dash-proposals-none = No open proposals.
dash-proposal-votes = {$voters} voted ({$share} of the stake), closes {$deadline}
dash-kind-open-channel = open a channel
dash-kind-open-channels = open channels in one transaction
dash-kind-close-channel = close a channel
dash-kind-rebalance = circular rebalance
dash-kind-create-invoice = invoice to own node
dash-kind-pay-invoice = payment to own node
dash-kind-set-fees = set fees
dash-kind-do-not-disconnect = do not disconnect
dash-kind-safe-to-disconnect = safe to disconnect
dash-dstatus-created = created
dash-dstatus-sent = sent
dash-dstatus-awaiting-approval = waiting for approval
dash-dstatus-approved = approved
dash-dstatus-rejected = rejected
dash-dstatus-executing = executing
dash-dstatus-succeeded = done
dash-dstatus-failed = failed
dash-dstatus-expired = expired
dash-dstatus-cancelled = cancelled

dash-flow = Flow and fees over time
dash-flow-rates = Flow rate: {$tps} forwards per second, {$perDay} sats per day. In the period: {$forwards} forwards, {$fees} sats of fees.
dash-flow-rates-unknown = Flow rate: {$why}. In the period: {$forwards} forwards, {$fees} sats of fees.
dash-flow-none = No flow reported in this period yet.
dash-flow-skipped = {$n} report windows were left out (overlapping, or too long to place in time).
dash-chart-amount = Forwarded through Storm channels
dash-chart-fees = Fees earned

dash-earnings = Expected earnings
dash-earnings-value = {$n} sats per 1,000,000 sats per day
dash-earnings-formula = earnings = fees ÷ days ÷ (capacity ÷ 1,000,000)
dash-earnings-numbers = {$fees} sats ÷ {$days} days ÷ ({$capacity} sats ÷ 1,000,000)
dash-earnings-note = Fees the members earned forwarding out through Storm channels in the period, over the time the reports cover, per million sats of the Storm's channel capacity today. Past earnings, not a promise.

dash-you = You ({$name})
dash-you-figures = Your stake: {$stake} sats in {$channels} channels. Directives waiting for your approval: {$waiting}.
dash-go-storm = Open the members' view →
dash-login-hint = Members: ask the bot for a login link in a direct message, then open it here.
dash-login-needed-title = Members only
dash-login-title = Log in to {$group}'s dashboard
dash-login-button = Log in
dash-login-refused = Login refused
dash-summary-published = This Storm publishes its public summary:
dash-summary-schema = its schema (storm-summary/1)

dash-compare = Compare Storms
dash-compare-note = Each Storm's own public summary, fetched by this manager. Click a column to sort.
dash-cmp-name = Storm
dash-cmp-baseFee = Base fee (msat)
dash-cmp-feeRate = Fee rate (ppm)
dash-cmp-flowRate = Flow (forwards/s)
dash-cmp-members = Members
dash-cmp-capacity = Capacity (sats)
dash-cmp-earnings = Earnings per 1M sats/day
dash-cmp-status-stale = stale
dash-cmp-status-malformed = malformed
dash-cmp-status-too-large = too large
dash-cmp-status-unreachable = unreachable

dash-proposals-unavailable = Proposals and their votes are not kept by this Storm yet.
dash-not-rated = not rated yet
dash-cmp-age = generated {$hours} h ago

dash-not-found = Not found
dash-not-found-text = There is no such page.
dash-error-title = Something went wrong
dash-error-text = The page could not be made; the manager's log says why.

error-login-unknown = This login link is not valid. Ask the bot for a new one.
error-login-used = This login link was already used. Ask the bot for a new one.
error-login-expired = This login link has expired. Ask the bot for a new one.
error-dashboard-off = The dashboard is not running on this Storm.
error-dashboard-listen-failed = The dashboard could not listen on {$address}: {$reason}
demo-dashboard = Dashboard: {$url}
demo-dashboard-login = (demo) Your members' view of the dashboard: {$url}

## /stats as a picture (the PNG renderer)

stats-stake = Stake by member (sats)
stats-balance = {$channels} channels
stats-balanced = balanced
stats-drifting = drifting
stats-unknown = not reported
stats-capacity = Capacity: {$capacity} sats
stats-fee = Fee: {$base} msat + {$rate} ppm
stats-earnings = Per 1M sats per day: {$value}
stats-flow = Forwarded through Storm channels (sats per hour)
stats-no-flow = No flow reported yet.
stats-max = max {$value}
stats-caption = {$group}: liquidity and flow

## /dashboard and /stats in the chat

dashboard-link = Your login link to {$group}'s dashboard. It works once and expires soon; do not share it:
    {$url}
dashboard-sent-private = I sent you a private message with your login link.
stats-unavailable = The Storm's statistics are not available here.
stats-saved = The picture is saved at {$path}
dash-member-away = on planned downtime
dash-flow-private = flow private
