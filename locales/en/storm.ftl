## Storm — English. Every user-facing sentence lives here and in the other languages' files.
## $p is how a command is written where the user is: "/" in Telegram, "!" in Matrix, "stormcli " in a terminal.

## Replies to commands

connect-admitted = Welcome to {$group}! Your request to connect to the group has been accepted. Next, pair your node: run `{$p}pair` in a private chat with me. To see your status, run `{$p}getinfo`.
connect-requested = Your request to connect to the group {$group} has been submitted. An admin will review it. To see the status of your request, run `{$p}getinfo`.
pair-code = Your pairing code: {$code} — it works once, for {$minutes} minutes.
    On the machine beside your Lightning node, run:
    stormd pair {$invite}
pair-use-private = Pairing codes are private: send me /pair in a direct message.
pair-go-private = Pairing codes are private. Open a private chat with me to get yours: {$link}
addfunds-submitted = Your request to add {$amount} sats has been submitted. Be sure your lnd wallet has sufficient funds. The stormd server will automatically create the channels necessary to utilize those funds. To cancel this request, run `{$p}cancel {$id}`. To see a list of all requests, run `{$p}getinfo`.
addfunds-planned-channel = {"  "}• a {$amount} sat channel to {$peer} (directive {$directive})
addfunds-one-transaction = {"  "}All {$count} channels are funded by one on-chain transaction: one approval, one fee.
addfunds-from-node = {"  "}Funded by your node {$node}.
removefunds-submitted = Your request to de-allocate {$amount} sats has been submitted. The stormd server will automatically shut down channels and re-route accordingly. To check the status of your de-allocation, run `{$p}getinfo`. To cancel it, run `{$p}cancel {$id}`.
removefunds-planned-close = {"  "}• close the {$amount} sat channel with {$peer}
move-submitted = Moving {$amount} sats from your node {$from} to your node {$to}: {$to} creates an invoice (directive {$directive}), then {$from} pays it, paying at most {$fee} sats in fees.
disconnect-submitted = Your request to disconnect from the group {$group} has been submitted. All funds will be de-allocated ({$channels ->
        [one] one channel
       *[other] {$channels} channels
    } to close). Please wait while liquidity is re-routed around your node. If you disconnect prematurely, you may become banned from the group.
disconnect-done = You had no funds allocated: you have left {$group}. It is safe to disconnect.
cancel-done = Request {$id} is cancelled; nothing of it was executed.
approve-done = Approved {$id}: {$what}.
reject-done = Rejected {$id}: {$what}.
admit-done = {$name} is now a member.
decline-done = {$name}'s request was declined.
directives-title = Your directives (newest first):
directives-line = {$id} — {$what} — {$status}
directives-none = You have no directives.
members-title = {$group}: {$count ->
        [one] one member
       *[other] {$count} members
    }
members-line = {$name} — {$status}, node {$node}, {$online}, rating {$rating}, stake {$stake} sats
members-away = {" "}· on planned downtime
members-flow-private = {" "}· flow private
members-fleet-node = {"  "}+ node {$node}, {$online}
members-none = {$group} has no members yet. Be the first: /connect
members-not-paired = not paired
members-online = online
members-offline = offline
member-status-requested = waiting for an admin
member-status-active = member
member-status-leaving = leaving
member-status-left = left
member-status-banned = banned
lang-current = Your language is {$lang}. Available: {$available}. Change it with /lang CODE.
lang-set = From now on I will talk to you in English.
help-title = Storm commands:
help-example = Example: {$example}
help-more = For one command in detail: {$p}help COMMAND
console-not-a-command = That is not a command. Type /help for the list.

## Directives, their status and announcements

directive-open-channel = open a {$amount} sat channel to {$peer}
directive-open-channels = open {$count} channels in one funding transaction, {$total} sats in all: {$list}
directive-open-channels-item = {$amount} sats to {$peer}
directive-close-channel = close the channel {$channel} with {$peer}
directive-force-close-channel = force-close the channel {$channel} with {$peer}
directive-rebalance = send a circular payment of {$amount} sats through {$route} (fee at most {$fee} sats)
directive-set-fees = set the Storm's fees: base {$base} msat, rate {$ppm} ppm
directive-do-not-disconnect = do not disconnect: liquidity is being routed around your node
directive-safe-to-disconnect = it is safe to disconnect
directive-create-invoice = create an invoice of {$amount} sats for your node {$payer} to pay
directive-pay-invoice = pay {$amount} sats to your node {$payee} (fee at most {$fee} sats)
status-created = 🕓 waiting for stormd to connect
status-sent = 📨 sent to stormd
status-awaiting-approval = 🔔 waiting for approval
status-approved = 👍 approved
status-rejected = ❌ declined by {$name}
status-executing = ⚙️ executing
status-in-effect = 📌 in effect
status-succeeded = ✅ done
status-succeeded-channel = ✅ done: channel {$channel}
status-succeeded-channels = ✅ done: {$count} channels funded by one transaction, {$tx}
status-succeeded-payment = ✅ done: paid {$fee} sats in fees
status-failed = ❌ failed: {$reason}
status-expired = ⌛ expired
status-cancelled = ✖️ cancelled
button-approve = Approve
button-reject = Reject
button-admit = Admit
button-decline = Decline
announce-member-requested = {$name} asks to join {$group}. An admin decides.
announce-member-joined = {$name} joined {$group}.
announce-member-paired = {$name} paired their node {$node}.
announce-member-node-added = {$name} paired another node, {$node}: {$count} nodes in their fleet.
announce-member-left = {$name} left the Storm.
announce-member-banned = {$name} was banned from the Storm.
announce-directive = {$name} · {$id} · {$what} — {$status}
announce-allocation-add = {$name}'s request {$id} to add {$amount} sats: {$status}
announce-allocation-remove = {$name}'s request {$id} to remove {$amount} sats: {$status}
allocation-status-pending = planned
allocation-status-funding = channels are opening
allocation-status-closing = channels are closing
allocation-status-done = ✅ done
allocation-status-done-partial = ✅ done for {$moved} sats (the rest was rejected, failed or expired)
allocation-status-done-for = ✅ done for {$moved} sats
allocation-status-with-declined = {$status} · ❌ {$declined} sats declined by {$name}
allocation-status-declined = ❌ declined by {$name}
allocation-status-cancelled = ✖️ cancelled
allocation-status-failed = ❌ failed

## Commands: usage, description, example (the usage of a command without arguments is empty)

cmd-connect-usage = [GROUP]
cmd-connect-description = ask to join this Storm
cmd-connect-example = connect Supercell
cmd-pair-usage = {""}
cmd-pair-description = get a one-time code to pair your stormd (private chat)
cmd-pair-example = pair
cmd-addfunds-usage = AMOUNT [NODE]
cmd-addfunds-description = put sats into the Storm: the planner opens channels for them
cmd-addfunds-example = addfunds 2000000
cmd-removefunds-usage = AMOUNT
cmd-removefunds-description = take sats out of the Storm, gracefully
cmd-removefunds-example = removefunds 500000
cmd-move-usage = AMOUNT FROM TO
cmd-move-description = move sats between two of your own nodes (a fleet), by invoice and payment
cmd-move-example = move 100000 shop warehouse
cmd-disconnect-usage = {""}
cmd-disconnect-description = leave the Storm: all your channels close, then it is safe to go
cmd-disconnect-example = disconnect
cmd-cancel-usage = ID
cmd-cancel-description = cancel a request that has not executed yet
cmd-cancel-example = cancel jX78nVt
cmd-getinfo-usage = {""}
cmd-getinfo-description = your Storm at a glance (JSON)
cmd-getinfo-example = getinfo
cmd-members-usage = {""}
cmd-members-description = who is in the Storm
cmd-members-example = members
cmd-directives-usage = {""}
cmd-directives-description = your directives and where they are
cmd-directives-example = directives
cmd-audit-usage = [verify]
cmd-audit-description = the manager's signed history about you, as your stormd holds it; verify checks every signature and that each directive your stormd ran is there
cmd-audit-example = audit verify
audit-runs-locally = Run stormcli audit on your own machine: it reads and checks the copy of the history your stormd keeps.
cmd-approve-usage = ID|all
cmd-approve-description = approve one of your directives, or all that wait for you
cmd-approve-example = approve all
cmd-reject-usage = ID
cmd-reject-description = reject one of your directives
cmd-reject-example = reject Ab12Cd3
cmd-vote-usage = fee BASE RATE | yes ID | no ID
cmd-vote-description = vote for the Storm's fee (base in msat; rate as 0.000001 or 100ppm), or yes / no on a ban; each vote weighs your stake
cmd-vote-example = vote fee 1000 100ppm
cmd-downtime-usage = DURATION | extend DURATION | cancel
cmd-downtime-description = plan maintenance: the Storm routes around your node, then tells you when it is safe to go; extend or cancel it
cmd-downtime-example = downtime 2h
cmd-admit-usage = MEMBER
cmd-admit-description = admit a request to join (admins)
cmd-admit-example = admit @bob
cmd-decline-usage = MEMBER
cmd-decline-description = decline a request to join (admins)
cmd-decline-example = decline @mallory
cmd-ban-usage = MEMBER [now] REASON
cmd-ban-description = put a ban to the members' vote (admins); now bans at once where the Storm's rules allow
cmd-ban-example = ban @mallory keeps force-closing channels
cmd-unban-usage = MEMBER
cmd-unban-description = lift a ban (admins): the member may ask to join again
cmd-unban-example = unban @mallory
cmd-lang-usage = [CODE]
cmd-lang-description = show or change your language
cmd-lang-example = lang es
cmd-help-usage = [COMMAND]
cmd-help-description = this list, or one command in detail
cmd-help-example = help addfunds
cmd-dashboard-usage = {""}
cmd-dashboard-description = get a one-time link to log in to the dashboard (sent privately)
cmd-dashboard-example = dashboard
cmd-stats-usage = {""}
cmd-stats-description = a picture of the Storm's liquidity and flow
cmd-stats-example = stats

## Errors: what the user sees for each expected failure

error-unexpected = Something went wrong ({$code}). Nothing was changed.
error-unknown-command = I don't know the command “{$command}”. Type {$p}help for the list.
error-missing-argument = “{$command}” needs more: see {$p}help {$command}.
error-too-many-arguments = “{$command}” takes fewer words: see {$p}help {$command}.
error-amount-not-a-number = “{$value}” is not an amount. Write whole sats, like 2000000, 2,000,000 or 2m.
error-amount-not-positive = The amount must be more than zero.
error-amount-not-whole = “{$value}” is not a whole number of sats.
error-amount-too-large = That is more sats than will ever exist.
error-amount-ambiguous = “{$value}” could be read more than one way, so nothing was done. Write whole sats with commas only between groups of three digits, like 2,000,000, or a decimal point before k or m, like 2.5m.
error-bad-id = “{$value}” is not an id: ids look like jX78nVt.
error-bad-duration = “{$value}” is not a duration. Write it like 90m, 2h or 1d.
error-duration-too-long = Downtime can last 30 days at most.
error-bad-vote = Vote like this: vote fee BASE RATE, for example vote fee 1000 0.000001.
error-bad-base-fee = “{$value}” is not a base fee: whole millisatoshis, like 1000.
error-bad-fee-rate = “{$value}” is not a fee rate: a fraction between 0 and 1 with at most 6 decimals, like 0.000001, or parts per million, like 100ppm.
error-not-admin = Only the group's admins can do that.
error-not-a-member = You are not a member of {$group}. Join with /connect.
error-membership-pending = Your request to join {$group} is waiting for an admin.
error-banned = You are banned from {$group}.
error-already-member = You are already a member of {$group}.
error-wrong-group = This is {$group}, not {$asked}.
error-agents-use-chat = Join a Storm from its chat: /connect there.
error-not-paired = Your node is not paired yet. Get a code with /pair in a private chat, then run stormd pair.
error-leaving = You are leaving the Storm: no new requests until that is done.
error-no-report-yet = Your stormd has not reported your node's balances yet. Is it running? Try again in a minute.
error-insufficient-funds = Your wallet cannot fund {$amount} sats: {$available} sats are available after requests in flight and a reserve for fees.
error-node-insufficient-funds = Your node {$node} cannot fund {$amount} sats: {$available} sats are available after requests in flight and a reserve for fees.
error-fleet-insufficient-funds = None of your nodes can fund {$amount} sats: the most available is {$available} sats, on {$node}, after requests in flight and a reserve for fees.
error-node-no-report-yet = Your node {$node}'s stormd has not reported its balances yet. Is it running? Try again in a minute.
error-amount-below-min-channel = The smallest channel in this Storm is {$min} sats.
error-peers-all-planned = Each of the {$count} other paired members already has a channel with you planned by request {$id} (one channel per member). To add a different amount, cancel it with `{$p}cancel {$id}` and ask again.
error-peers-all-taken = Each of the {$count} other paired members already has a channel with you, or one opening (one channel per member). Storm can add funds again when a new member pairs, or after `{$p}removefunds`.
error-no-peers-available = There is no other paired member to open channels to yet.
error-amount-above-storm-capacity = That is more than this Storm can place in one request: at most {$max} sats now.
error-nothing-allocated = You have no funds allocated in this Storm.
error-remove-more-than-allocated = You have {$allocated} sats allocated; you cannot remove more.
error-unknown-request = There is no request {$id}.
error-not-your-request = Request {$id} is not yours: only its owner can cancel it.
error-request-finished = Request {$id} is already over ({$status}).
error-request-executing = Request {$id} is already executing and can no longer be cancelled.
error-unknown-directive = There is no directive {$id}.
error-not-your-directive = Directive {$id} is not yours: only the member it is for can decide it.
error-approval-local-only = Directive {$id} ({$kind}) can only be approved on the node's own machine, with stormcli approve (localApproval in stormd.conf).
error-directive-not-awaiting = Directive {$id} is not waiting for a decision ({$status}).
error-nothing-to-approve = Nothing is waiting for your approval.
error-directive-already-finished = Directive {$id} is already finished ({$status}).
error-directive-bad-transition = Directive {$id} cannot go from {$from} to {$to}.
error-directive-lifetime-too-long = Refused: directive {$id} would stay valid for more than {$days} days.
error-directive-expired = The directive {$id} has expired.
error-unknown-member = There is no member “{$ref}”.
error-ambiguous-member = “{$ref}” could be more than one member ({$ids}): use the member id.
error-no-pending-request = {$name} has no request waiting.
error-unknown-language = I don't speak “{$lang}” yet. Available: {$available}.
error-not-built-yet = “{$feature}” is not available in this version of Storm yet. Nothing was changed.
error-node-mismatch = This agent's node is not the one that was paired.
error-node-already-paired = That node is already paired to {$name}.
error-agent-already-paired = That stormd is already paired to another member.
error-fleet-full = A member pairs at most {$max} nodes.
error-not-your-node = You have no node {$node} (give its alias or the start of its key).
error-same-node = The two nodes are the same.
error-pairing-code-invalid = This pairing code is wrong, expired or already used. Get a new one with /pair.
error-pairing-code-malformed = “{$code}” is not a pairing code: codes look like K7PX-Q2MD.
error-pairing-bad-nonce = Pairing failed: the answer did not match the challenge. Try again.
error-pairing-bad-agent-signature = Pairing failed: the agent's signature is not valid.
error-pairing-bad-node-signature = Pairing failed: the node's signature does not prove control of that node.
error-pairing-no-answer = The manager did not answer. The code may be wrong or expired, or the manager unreachable.
error-pairing-refused = The manager refused the pairing: {$reason}.
error-pairing-wrong-group = This code is for {$group}, but stormd.conf says group={$expected}.
error-manager-unreachable = stormd is not connected to the manager right now. Try again shortly.
error-command-timeout = The manager did not answer in time.
error-peer-not-in-storm = Refused: the peer {$peer} is not a paired member of this Storm.
error-payment-leaves-storm = Refused: the payment would pass through {$hop}, which is not in this Storm.
error-payee-not-own-node = Refused: {$node} is not one of your own nodes; a plain invoice is paid only between nodes of the same member.
error-invoice-mismatch = Refused: the invoice does not ask what the directive says (it asks {$amount} sats, or is payable to another node).
error-limit-channel-size = Refused: a {$capacity} sat channel is outside your limits ({$min}–{$max} sats).
error-limit-channels-per-day = Refused: you allow at most {$max} new channels per day.
error-limit-onchain-spend = Refused: {$capacity} more sats would pass your daily limit of {$max} ({$used} used).
error-limit-force-close = Refused: you do not allow force closes.
error-limit-transaction-size = Refused: a {$amount} sat payment is above your limit of {$max}.
error-limit-payment-too-soon = Refused: the last rebalancing payment was too recent; wait {$seconds} s.
error-limit-transactions-per-period = Refused: you allow at most {$max} rebalancing payments per period.
error-limit-amount-per-period = Refused: your rebalancing limit is {$max} sats per period ({$used} used).
error-limit-fee-per-period = Refused: your fee budget is {$max} sats per period ({$used} used).
error-channel-peer-mismatch = Refused: the channel {$channelPoint} is not with the expected peer.
error-interrupted = stormd stopped while this was running and could not confirm it happened; it was not retried.
error-interrupted-not-sent = stormd stopped before the payment was sent; the node confirms it never left, and it was not retried.
error-ln-unavailable = The Lightning node does not answer.
error-ln-permission-denied = The Lightning node refused: the macaroon lacks a permission.
error-ln-not-synced = The Lightning node is still syncing to the chain.
error-ln-insufficient-funds = The Lightning node's wallet does not have enough confirmed funds.
error-ln-peer-unreachable = The Lightning node could not reach the peer.
error-ln-channel-too-small = The channel is below the node's minimum size.
error-ln-channel-too-large = The channel is above the node's maximum size.
error-ln-channel-not-found = The channel was not found on the node.
error-ln-no-route = No route: a hop lacks liquidity or is offline.
error-ln-fee-too-high = The route costs more than the allowed fee.
error-ln-payment-failed = The payment failed.
error-ln-invalid-request = The Lightning node rejected the request as invalid.
error-config-invalid = Configuration error at “{$key}”: {$reason}.
error-config-syntax = Configuration error on line {$line}: “{$text}” is not key=value.
error-config-unreadable = Cannot read the configuration file {$path}: {$reason}.
error-config-duplicate-key = Configuration error: “{$key}” is set twice, on line {$first} and on line {$second}. Keep only one.
error-config-unknown-key = Configuration error: there is no key “{$key}” (keys are case-sensitive; config/stormd.sample.conf lists them all).
error-store-corrupt = The state file {$path} is damaged ({$reason}). Storm stopped and left it untouched. { $latest ->
        [none] There is no backup of it yet: repair the file, or move it aside to start afresh.
       *[other] The newest backup is {$latest}: stop Storm, copy it over {$path}, and start again.
    }
error-store-unreadable = The state file {$path} cannot be read: {$reason}. Storm stopped and left it untouched. { $latest ->
        [none] There is no backup of it yet.
       *[other] The newest backup is {$latest}.
    }
error-store-too-new = The state file {$path} was written by a newer Storm (version {$version}; this one reads {$supported}). Storm stopped and left it untouched: run the newer Storm, or restore { $latest ->
        [none] a copy from before the upgrade.
       *[other] the newest backup, {$latest}, if it is older.
    }

## The demo

demo-banner = Demo Storm “{$group}”: {$members} are members, with {$channels} channels between them, on a simulated Lightning network. Each runs a real stormd over Hyperswarm.
    You are @you. Your simulated node holds {$funds} sats on chain and your stormd is running, not yet paired.
    Try: /connect, /addfunds 2000000, /approve all, /getinfo — or /help. End with Ctrl-D.
    Your stormd also answers stormcli in another terminal: npx stormcli --socket {$socket} getinfo
demo-paired = (demo) Your stormd paired with code {$code}, as `stormd pair` would on your machine.

## The link and key files

error-message-gone = The chat message to update no longer exists; a new one is posted instead.
error-bad-body = A protocol message was not valid for its type, so it was not sent.
error-too-large = A protocol message was too large to send.
error-key-file-not-found = The key file {$path} does not exist.
error-key-file-unreadable = The key file {$path} cannot be read: {$reason}.
error-key-file-corrupt = The key file {$path} is damaged ({$reason}). It was left untouched.
error-key-file-insecure = The key file {$path} can be read by other users; run: chmod 600 {$path}
error-key-file-unwritable = The key file {$path} cannot be written: {$reason}.
error-history-mismatch = The history (length {$length}) is shorter than the state says it saw ({$seen}), with {$pending} entries waiting: the history folder was replaced or lost. Restore the manager's data folder from one backup, state and history together.

## Status and kind codes in words, for sentences that name a status or a kind (never raw codes)
code-status-created = created
code-status-sent = sent
code-status-received = received
code-status-awaiting-approval = waiting for approval
code-status-approved = approved
code-status-rejected = rejected
code-status-executing = executing
code-status-succeeded = done
code-status-failed = failed
code-status-expired = expired
code-status-cancelled = cancelled
code-status-revoked = withdrawn
code-status-pending = planned
code-status-funding = channels opening
code-status-done = done
code-kind-open-channel = open a channel
code-kind-open-channels = open channels in one transaction
code-kind-close-channel = close a channel
code-kind-rebalance = circular rebalance
code-kind-create-invoice = invoice to your own node
code-kind-pay-invoice = payment to your own node
code-kind-set-fees = set fees
code-kind-do-not-disconnect = stay connected
code-kind-safe-to-disconnect = safe to disconnect

## Governance: fee votes, bans, rating

announce-fee-vote = 🗳 {$name} votes for base {$base} msat, rate {$rate} ppm (vote {$id}): {$voted} of {$total} sats of stake have voted, {$quorum}% needed.
announce-fee-consensus = 💱 The Storm's fee changes (vote {$id}): base {$fromBase} → {$toBase} msat, rate {$fromRate} → {$toRate} ppm. {$voters} voters with {$voted} of {$total} sats of stake; {$directives} nodes are told to set it.
announce-fee-consensus-same = 💱 Vote {$id} keeps the Storm's fee at base {$toBase} msat, rate {$toRate} ppm ({$voters} voters with {$voted} of {$total} sats of stake).
announce-fee-round-lapsed = 🗳 Fee vote {$id} ended without a quorum: {$voted} of {$total} sats of stake voted, {$quorum}% needed. The votes stand for the next round.
announce-ban-proposed = ⚖️ Vote {$id}: ban {$name}? Reason: {$reason}. Members vote yes or no (the buttons, or vote yes {$id}) until {$deadline} UTC, each weighed by their stake ({$total} sats in all).
announce-ban-vote = ⚖️ {$voter} votes {$choice} on banning {$name} (vote {$id}): yes {$yes}, no {$no} of {$total} sats of stake.
announce-ban-passed = ⚖️ Vote {$id} passed: {$name} is banned. Yes {$yes}, no {$no} of {$total} sats of stake.
announce-ban-rejected = ⚖️ Vote {$id} rejected: {$name} stays. Yes {$yes}, no {$no} of {$total} sats of stake.
announce-ban-lapsed = ⚖️ Vote {$id} on banning {$name} ended without a quorum: {$voted} of {$total} sats of stake voted, {$quorum}% needed. {$name} stays.
announce-member-banned-closes = ⛔ {$name} is banned: {$reason}. Their agent is cut off; {$closes} channels to their node are being closed.
announce-member-unbanned = {$name}'s ban is lifted: they may ask to join again.
announce-rating-warning = ⚠️ {$name}'s uptime rating is {$rating} over the last 7 days (warning below {$warn}, ban vote below {$ban}).
ban-choice-yes = yes
ban-choice-no = no
error-fee-rate-ambiguous = “{$value}” could be read two ways: write {$ppm} for parts per million, or {$fraction} as a fraction.
error-base-fee-above-limit = This Storm's votes allow a base fee of {$max} msat at most.
error-fee-rate-above-limit = This Storm's votes allow a fee rate of {$max} ppm at most.
error-cannot-ban-self = You cannot ban yourself.
error-already-banned = {$name} is already banned.
error-not-a-current-member = {$name} is not a member now.
error-ban-reason-required = Say why: ban @member REASON.
error-ban-reason-too-long = The reason can be {$max} characters at most.
error-ban-already-proposed = A vote on banning {$name} is already open ({$id}).
error-outright-ban-not-allowed = This Storm's rules put every ban to a vote: drop “now” to propose it.
error-unknown-proposal = There is no vote {$id}.
error-proposal-closed = Vote {$id} is over ({$status}).
error-cannot-vote-on-own-ban = You cannot vote on your own ban.
error-joined-after-proposal = You joined after vote {$id} opened: only members at that time vote on it.
error-not-banned = {$name} is not banned.
error-bad-window = That downtime window ends before it starts.
vote-fee-taken = Your vote: base {$base} msat, rate {$rate} ppm, weighed by your stake of {$stake} sats. {$voted} of {$total} sats of stake have voted; {$quorum}% decides.
vote-fee-unchanged = That is already your vote (base {$base} msat, rate {$rate} ppm; your stake {$stake} sats). {$voted} of {$total} sats of stake have voted.
vote-fee-decided = Your vote decided it: with {$voted} of {$total} sats of stake voting, the Storm's fee is now base {$toBase} msat, rate {$toRate} ppm.
vote-ban-taken = Your vote on {$id}: {$choice}, weighed by your stake of {$stake} sats. Yes {$yes}, no {$no} of {$total} sats of stake.
ban-proposed = The ban of {$name} is put to the members' vote ({$id}).
ban-done = {$name} is banned. {$closes} channels to their node are being closed.
unban-done = {$name}'s ban is lifted.
button-vote-yes = Yes, ban
button-vote-no = No
announce-ban-tally = {$text} — so far: yes {$yes}, no {$no} of {$total} sats of stake (last: {$voter} {$choice}).
code-status-passed = passed
code-status-lapsed = ended without a quorum
code-status-withdrawn = withdrawn
code-status-open = open

## Planned downtime (`downtime`)

downtime-preparing = Planned downtime {$id} for {$duration}: stay online for now. The Storm stops placing liquidity on your node and balances the other members' channels around it ({$rebalances} rebalancing payments). You will be told when it is safe to disconnect. Cancel: `{$p}downtime cancel`; longer: `{$p}downtime extend 1h`.
downtime-granted-now = Planned downtime {$id}: it is safe to disconnect now. Your window ends at {$end} UTC ({$duration}) and does not count against your rating. Back early: `{$p}downtime cancel`; longer: `{$p}downtime extend 1h`.
downtime-cancelled = Planned downtime {$id} is cancelled: the Storm places liquidity on your node again.
downtime-extended = Planned downtime {$id} now lasts {$duration}.
downtime-extended-until = Planned downtime {$id} now lasts {$duration}: your window ends at {$end} UTC.
announce-downtime-requested = 🛠 {$name} asked for {$duration} of planned downtime ({$id}). The Storm stops placing liquidity on {$name}'s node and { $rebalances ->
    [0] finds the other members' channels balanced already
   *[other] balances the other members' channels around it ({$rebalances} rebalancing payments)
}; {$name} stays online until it is safe to go.
announce-downtime-granted = 🛠 {$name}: it is safe to disconnect now (downtime {$id}). The window ends at {$end} UTC and does not count against the rating; payments between the other members go around the node.
announce-downtime-extended = 🛠 {$name}'s planned downtime {$id} now lasts {$duration}.
announce-downtime-cancelled = 🛠 {$name} cancelled planned downtime {$id}: the node is in the Storm's plans again.
announce-downtime-left-early = ⚠️ {$name}'s node went offline before it was safe to go (downtime {$id}): the time until it is back counts against the rating.
announce-downtime-overdue = ⚠️ {$name}'s downtime window {$id} ended at {$end} UTC and the node is not back: the time until it is back counts against the rating.
announce-downtime-back = 👋 {$name} is back from planned downtime {$id}, on time.
announce-downtime-back-late = ⚠️ {$name} is back from planned downtime {$id}, {$late} late: that time counted against the rating.
error-bad-downtime = Write `{$p}downtime 2h` to plan downtime, `{$p}downtime extend 1h` to make it longer, or `{$p}downtime cancel`.
error-downtime-off = Planned downtime is turned off in this Storm's rules.
error-downtime-too-long = Planned downtime can last {$max} at most in this Storm (extensions included). Nothing was changed.
error-downtime-underway = You already have planned downtime {$id}: extend it with `{$p}downtime extend 1h` or cancel it with `{$p}downtime cancel`.
error-downtime-too-often = This Storm allows {$count} downtime windows per {$period}; your next one can start after {$next} UTC. Nothing was changed.
error-downtime-busy = {$count} member(s) are already away on planned downtime: the Storm routes around one at a time. Try again when they are back.
error-downtime-node-down = Your node is not connected and healthy right now, so there is nothing to route around yet: bring it back, then ask again.
error-no-downtime = You have no planned downtime under way.
error-downtime-over = Your downtime window {$id} is over: bring your node back (the time counts against your rating).
## The Storm moving around a node: graceful exit, onboarding (issue 11)
exit-reply-reinforce = {"  "}• first, {$opener} opens {$amount} sats to {$to}, who would otherwise {$reason ->
        [cut_off] be cut off from the others
       *[thin] be left with too little Storm capacity
    }
exit-reply-nobody-at-risk = {"  "}• the Storm checked: these closes cut no member off and leave nobody short of capacity, so they go now
exit-reply-deferred = {"  "}• {$later ->
        [one] one close waits
       *[other] {$later} closes wait
    } until that capacity is open; the others go now
announce-exit-planned = 🧭 {$name} is {$leaves ->
        [yes] leaving the Storm
       *[other] taking funds out
    } ({$id}). Closing those channels at once would hurt the others, so the Storm adds capacity first:
announce-exit-cut-off = {"  "}• {$name} would be cut off from the other members
announce-exit-thin = {"  "}• {$name} would keep only {$after} sats of Storm channels (the rules want {$min})
announce-exit-reinforce = {"  "}• {$opener} is asked to open {$amount} sats to {$to}
announce-exit-unhelped = {"  "}• nobody can open a channel to {$name} now (no member has the funds): it will be cut off
announce-exit-order = {"  "}{$now} {$now ->
        [one] close goes
       *[other] closes go
    } now (they cut nobody off); {$later} {$later ->
        [one] waits
       *[other] wait
    } for the new capacity. The leaving node must stay online until it is told it is safe to go.
announce-exit-ready = ✅ The new capacity is open: {$name}'s last {$closes ->
        [one] channel closes
       *[other] {$closes} channels close
    } now, and nobody is cut off.
announce-exit-ready-without = ⚠️ {$failed ->
        [one] A channel the Storm asked for was
       *[other] {$failed} channels the Storm asked for were
    } not opened (declined or failed): {$name}'s last {$closes} {$closes ->
        [one] channel closes
       *[other] channels close
    } now anyway — {$name} may not be held in the Storm forever.
announce-exit-ready-unhelped = ⚠️ No member could open a channel to those at risk: {$name}'s last {$closes ->
        [one] channel closes
       *[other] {$closes} channels close
    } now anyway — {$name} may not be held in the Storm forever.
announce-left-early = ⚠️ {$name} went offline before the Storm was ready ({$open} {$open ->
        [one] channel
       *[other] channels
    } still to close). As the Storm warned, this counts against {$name}'s uptime rating.
announce-allocation-exit = {$name} opens {$amount} sats to {$to} so nobody is cut off ({$id}): {$status}
announce-allocation-onboard = {$name} lifts {$to} with {$amount} sats ({$id}): {$status}
announce-lifted = 🛟 {$name} joined with no funds: the Storm lifts them.
announce-lifted-by = {"  "}• {$opener} opens {$amount} sats to {$name}
announce-lifted-budget = {"  "}{$name} can receive as soon as a channel is open, and send once they have received. Newcomer budget left today: {$left} of {$day} sats.
announce-lift-refused = {$name} has no funds, but the Storm opened nothing: {$why}
lift-asked = The Storm asked {$openers} {$openers ->
        [one] member
       *[other] members
    } to open {$amount} sats of channels to you. You can receive once one is open.
lift-willing-on = Thanks: you will be asked first to open channels to newcomers who have no funds (each one is a directive you approve).
lift-willing-off = You will be asked to lift newcomers only when no willing member can.
cmd-lift-usage = [on|off]
cmd-lift-description = no funds? ask the Storm to open channels to you; `on`/`off`: open channels to newcomers
cmd-lift-example = lift on
error-bad-lift-word = `lift` takes nothing, `on` or `off`, not “{$value}”.
error-lift-not-needed = You have {$available} sats you can put in a channel yourself: use `{$p}addfunds` instead.
error-onboarding-off = Lifting newcomers is turned off in this Storm's rules.
error-onboarding-newcomer-budget-used = The Storm already opened its budget for one newcomer ({$budget} sats) to you.
error-onboarding-budget-exhausted = the day's budget for newcomers is used up ({$left} of {$day} sats left, and the smallest channel is {$min} sats). Ask again tomorrow with /lift.
error-onboarding-no-openers = no member can open {$amount} sats of channels now (not enough funds, or no willing member).
error-bad-demo-funds = STORM_DEMO_FUNDS must be a whole number of sats (0 or more), not “{$value}”.
