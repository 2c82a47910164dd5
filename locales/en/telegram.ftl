## Storm on Telegram — English. Sentences only the Telegram front end says.

telegram-start = Hi {$name}! I run the Storm “{$group}”: friends' Lightning nodes that open channels, rebalance and set their fees together, steered from a group chat.
    Join with /connect, then send me /pair here to link your node. /help lists everything.
telegram-not-bound = This group is not a Storm's home yet: an admin sends /init here first.
telegram-init-done = This group is now the home of the Storm “{$group}”. Everyone: /connect to join, /help for the commands. Approvals come here as buttons.
telegram-init-already = This group is already the home of the Storm “{$group}”.
telegram-wrong-group = I run the Storm “{$group}” from another group. Ask me there, or in a private chat.
telegram-not-a-command = That is not a command. Type /help for the list.
telegram-anonymous-admin = I can't tell who you are while you post as the group. Turn off “Remain anonymous” in your admin rights, or message me privately.
telegram-open-private = Open a private chat
telegram-pair-qr-caption = Scan this code with the phone beside your node, or copy the line above. It works once, for {$minutes} minutes.
telegram-unknown-action = This button no longer does anything.
telegram-cmd-init-description = make this group the Storm's home (admins)
telegram-description = I run a Storm: a collective of Lightning nodes steered from a group chat. Members add funds, I plan the channels, and each member's stormd carries out what its owner approves.
telegram-short-description = A Storm of Lightning nodes, run from your group chat.
telegram-demo-paired = (demo) Your simulated node “{$node}” holds {$funds} sats on chain; its own stormd paired with your code {$code}, as `stormd pair` would on your machine. Now try /addfunds 2000000 in the group, then approve with the buttons.
telegram-demo-full = (demo) This demo has given out all its {$max} simulated nodes. A real stormd can still use the line above.
error-telegram-token-refused = Telegram refused the bot token. Copy it again from @BotFather into TELEGRAM_BOT_TOKEN.
error-telegram-unreachable = Cannot reach the Telegram Bot API at {$apiRoot}.
chat-slow-down = That is more commands than I can answer at once: I will ignore yours for a little while, then answer again.
chat-direct-failed = I could not write to you privately. Open a private chat with me, then ask again there.
matrix-pair-direct = Pairing codes are private: I have sent yours to our direct room ({$user}, accept my invitation if you have not yet).
matrix-encrypted-room = This room is end-to-end encrypted and I cannot read it. Create a direct room with {$bot} with encryption off (in Element: Start chat, then turn off "Enable end-to-end encryption" under the advanced options), or type !pair in the Storm's room and I will open one.
matrix-reaction-ambiguous = This message has several decisions: react on one that has a single one, or type the command under it (!approve ID, !reject ID).
