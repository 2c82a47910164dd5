## Storm en Telegram — español. Frases que solo dice la interfaz de Telegram.

telegram-start = ¡Hola, {$name}! Llevo el Storm «{$group}»: nodos Lightning de un grupo de amigos que abren canales, se reequilibran y fijan sus comisiones juntos, dirigidos desde un chat de grupo.
    Únete con /connect y luego envíame /pair aquí para vincular tu nodo. /help lo muestra todo.
telegram-not-bound = Este grupo todavía no es la casa de un Storm: primero un administrador envía /init aquí.
telegram-init-done = Este grupo es ahora la casa del Storm «{$group}». Todos: /connect para unirse, /help para ver los comandos. Las aprobaciones llegan aquí como botones.
telegram-init-already = Este grupo ya es la casa del Storm «{$group}».
telegram-wrong-group = Llevo el Storm «{$group}» desde otro grupo. Pregúntame allí o en un chat privado.
telegram-not-a-command = Eso no es un comando. Escribe /help para ver la lista.
telegram-anonymous-admin = No sé quién eres mientras publicas como el grupo. Desactiva «Permanecer anónimo» en tus permisos de administrador o escríbeme en privado.
telegram-open-private = Abrir un chat privado
telegram-pair-qr-caption = Escanea este código con el teléfono junto a tu nodo, o copia la línea de arriba. Sirve una sola vez, durante {$minutes} minutos.
telegram-unknown-action = Este botón ya no hace nada.
telegram-cmd-init-description = convertir este grupo en la casa del Storm (administradores)
telegram-description = Llevo un Storm: un colectivo de nodos Lightning dirigido desde un chat de grupo. Los miembros añaden fondos, yo planifico los canales y el stormd de cada miembro ejecuta lo que su dueño aprueba.
telegram-short-description = Un Storm de nodos Lightning, llevado desde el chat de tu grupo.
telegram-demo-paired = (demo) Tu nodo simulado «{$node}» tiene {$funds} sats en la cadena; su propio stormd se emparejó con tu código {$code}, como lo haría `stormd pair` en tu máquina. Ahora prueba /addfunds 2000000 en el grupo y aprueba con los botones.
telegram-demo-full = (demo) Esta demo ya repartió sus {$max} nodos simulados. Un stormd real aún puede usar la línea de arriba.
error-telegram-token-refused = Telegram rechazó el token del bot. Cópialo de nuevo de @BotFather en TELEGRAM_BOT_TOKEN.
error-telegram-unreachable = No se puede contactar con la Bot API de Telegram en {$apiRoot}.
chat-slow-down = Son más comandos de los que puedo responder a la vez: ignoraré los tuyos un rato y luego volveré a responder.
chat-direct-failed = No pude escribirte en privado. Abre un chat privado conmigo y vuelve a pedirlo allí.
matrix-pair-direct = Los códigos de emparejamiento son privados: te envié el tuyo a nuestra sala directa ({$user}, acepta mi invitación si aún no lo hiciste).
matrix-encrypted-room = Esta sala está cifrada de extremo a extremo y no puedo leerla. Crea una sala directa con {$bot} sin cifrado (en Element: Iniciar chat, y desactiva "Activar el cifrado de extremo a extremo" en las opciones avanzadas), o escribe !pair en la sala de la Storm y abriré una.
matrix-reaction-ambiguous = Este mensaje tiene varias decisiones: reacciona en uno que tenga una sola, o escribe el comando que aparece debajo (!approve ID, !reject ID).
