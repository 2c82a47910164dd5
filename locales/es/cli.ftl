## stormd y stormcli, en la máquina del miembro

stormd-usage = Uso:
    stormd [--config ARCHIVO]              ejecutar el agente (configuración por defecto: ~/.stormd/stormd.conf)
    stormd pair INVITACIÓN [--config ARCHIVO]  emparejar el stormd en marcha con la invitación de /pair
    stormd check-config [--config ARCHIVO] comprobar la configuración y mostrarla con sus valores por defecto
stormd-config-ok = La configuración es válida.
stormd-paired = Emparejado: eres el miembro {$member} de {$group}. stormd se está conectando al gestor.
stormd-running = stormd está en marcha para {$group}. stormcli le habla en {$socket}.
stormd-waiting-pairing = stormd está en marcha, aún sin emparejar. Pide una invitación con /pair en un chat privado con el bot del Storm y luego ejecuta: stormd pair INVITACIÓN (socket de control {$socket}).
cli-connect-not-paired = Para unirte a un Storm, envía /connect en su chat, luego /pair en un chat privado con su bot, y ejecuta la línea `stormd pair` que te dé.
cli-status-paired = Emparejado con {$group} (nodo {$node}); conectado al gestor: {$connected}; directivas esperando tu aprobación: {$awaiting}.
cli-status-unpaired = stormd está en marcha pero aún no está emparejado.
cli-nothing-awaiting = No hay nada esperando tu aprobación.
cli-awaiting-line = {$id} — {$kind} — {$reason}
cli-approved = Aprobada {$id} ({$kind}): {$status}.
cli-rejected = Rechazada {$id} ({$kind}).
error-cli-bad-argument = Argumentos incorrectos: {$reason}. Mira --help.
error-stormd-not-running = stormd no está en marcha (no hay socket de control en {$socket}). Arráncalo con: stormd
error-stormd-already-running = stormd ya está en marcha (su socket de control {$socket} responde). Detenlo primero, o da a este otro dataDir.
error-control-malformed = stormd envió una respuesta que stormcli no entiende. ¿Tienen la misma versión?
error-control-too-large = Esa petición es demasiado grande.
error-simnet-only-in-demo = node=simnet solo existe dentro de la demo (npm start). Apunta stormd a LND: node=lnd.
error-manager-key-missing = Esto es solo un código de emparejamiento: da la invitación completa de /pair, o pon manager= en stormd.conf.
error-demo-timeout = La demo esperó demasiado a {$what}.
error-internal = Ocurrió un error interno. No se cambió nada.
error-stormd-unknown-verb = stormd no tiene el comando «{$verb}». Mira stormd --help.
error-stormd-pair-needs-invite = stormd pair necesita una invitación, la línea entera de /pair entre comillas: stormd pair 'storm:pair?…'
cli-audit-line = #{$index} {$at} {$event} {$detail}
cli-audit-none = El gestor aún no ha enviado historial sobre ti.
cli-audit-verify-ok = Las {$entries} entradas del historial se verifican: cada una está firmada por el gestor, cada mensaje de tu agente que cita está firmado por tu agente, y las {$directives} directivas que ejecutó este stormd están tal como las ejecutó.
cli-audit-verify-failed = El historial NO se verifica: {$count} problema(s) entre {$entries} entradas.
cli-audit-problem = {$ref}: { $code ->
        [BAD_SIGNATURE] no está firmada por el gestor (alterada o falsificada)
        [BAD_AGENT_SIGNATURE] cita un mensaje que tu agente no firmó
        [MISSING] este stormd la ejecutó y el historial no la tiene
        [GAP] falta una entrada sobre ti anterior a esta (la cadena firmada está rota)
        [INCOMPLETE] falta la entrada más reciente que el gestor garantiza
        [BAD_HEAD] la palabra firmada del gestor sobre tu historial no se verifica
        [CHANGED] el historial la tiene con otros parámetros que los que se ejecutaron
       *[OUTCOME_MISSING] el historial no registra cómo terminó
    }
cli-vote-taken = Tu voto: base {$base} msat, tasa {$rate} ppm, con el peso de tu participación de {$stake} sats. Han votado {$voted} de {$total} sats de participación.
cli-vote-unchanged = Ese ya es tu voto (base {$base} msat, tasa {$rate} ppm; tu participación {$stake} sats). Han votado {$voted} de {$total} sats de participación.
