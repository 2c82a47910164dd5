## stormd and stormcli, on the member's machine

stormd-usage = Usage:
    stormd [--config FILE]              run the agent (default config: ~/.stormd/stormd.conf)
    stormd pair INVITE [--config FILE]  pair the running stormd with the invitation from /pair
    stormd check-config [--config FILE] check the configuration and show it with its defaults
stormd-config-ok = The configuration is valid.
stormd-paired = Paired: you are member {$member} of {$group}. stormd is connecting to the manager.
stormd-running = stormd is running for {$group}. stormcli talks to it on {$socket}.
stormd-waiting-pairing = stormd is running, not paired yet. Get an invitation with /pair in a private chat with the Storm's bot, then run: stormd pair INVITE (control socket {$socket}).
cli-connect-not-paired = To join a Storm, send /connect in its chat, then /pair in a private chat with its bot, and run the `stormd pair` line it gives you.
cli-status-paired = Paired with {$group} (node {$node}); connected to the manager: {$connected}; directives waiting for you: {$awaiting}.
cli-status-unpaired = stormd is running but not paired yet.
cli-nothing-awaiting = Nothing is waiting for your approval.
cli-awaiting-line = {$id} — {$kind} — {$reason}
cli-approved = Approved {$id} ({$kind}): {$status}.
cli-rejected = Rejected {$id} ({$kind}).
error-cli-bad-argument = Bad arguments: {$reason}. See --help.
error-stormd-not-running = stormd is not running (no control socket at {$socket}). Start it with: stormd
error-stormd-already-running = stormd is already running (its control socket {$socket} answers). Stop it first, or give this one another dataDir.
error-control-malformed = stormd sent an answer stormcli cannot read. Are both the same version?
error-control-too-large = That request is too large.
error-simnet-only-in-demo = node=simnet exists only inside the demo (npm start). Point stormd at LND: node=lnd.
error-manager-key-missing = This is a bare pairing code: give the whole invitation from /pair, or set manager= in stormd.conf.
error-demo-timeout = The demo waited too long for {$what}.
error-internal = An internal error happened. Nothing was changed.
error-stormd-unknown-verb = stormd has no command “{$verb}”. See stormd --help.
error-stormd-pair-needs-invite = stormd pair needs one invitation, the whole line from /pair in quotes: stormd pair 'storm:pair?…'
cli-audit-line = #{$index} {$at} {$event} {$detail}
cli-audit-none = The manager has sent no history about you yet.
cli-audit-verify-ok = All {$entries} history entries verify: each is signed by the manager, each message of your agent it quotes is signed by your agent, and the {$directives} directives this stormd ran are there as it ran them.
cli-audit-verify-failed = The history does NOT verify: {$count} problem(s) among {$entries} entries.
cli-audit-problem = {$ref}: { $code ->
        [BAD_SIGNATURE] not signed by the manager (changed or forged)
        [BAD_AGENT_SIGNATURE] quotes a message your agent did not sign
        [MISSING] this stormd ran it, and the history does not have it
        [GAP] an entry concerning you before this one is missing (the signed chain is broken)
        [INCOMPLETE] the newest entry the manager vouches for is missing
        [BAD_HEAD] the manager's signed word on your history does not verify
        [CHANGED] the history has it with other parameters than it ran with
       *[OUTCOME_MISSING] the history does not record how it ended
    }
cli-vote-taken = Your vote: base {$base} msat, rate {$rate} ppm, weighed by your stake of {$stake} sats. {$voted} of {$total} sats of stake have voted.
cli-vote-unchanged = That is already your vote (base {$base} msat, rate {$rate} ppm; your stake {$stake} sats). {$voted} of {$total} sats of stake have voted.
