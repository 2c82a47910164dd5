## Storm — español. Cada frase que ve el usuario vive aquí y en los archivos de los otros idiomas.
## $p es cómo se escribe un comando donde está el usuario: "/" en Telegram, "!" en Matrix, "stormcli " en una terminal.

## Respuestas a los comandos

connect-admitted = ¡Bienvenido a {$group}! Tu solicitud para unirte al grupo ha sido aceptada. Ahora empareja tu nodo: escribe `{$p}pair` en un chat privado conmigo. Para ver tu estado, usa `{$p}getinfo`.
connect-requested = Tu solicitud para unirte al grupo {$group} ha sido enviada. Un administrador la revisará. Para ver el estado de tu solicitud, usa `{$p}getinfo`.
pair-code = Tu código de emparejamiento: {$code}. Sirve una sola vez, durante {$minutes} minutos.
    En la máquina junto a tu nodo Lightning, ejecuta:
    stormd pair {$invite}
pair-use-private = Los códigos de emparejamiento son privados: envíame /pair en un mensaje directo.
pair-go-private = Los códigos de emparejamiento son privados. Abre un chat privado conmigo para obtener el tuyo: {$link}
addfunds-submitted = Tu solicitud para añadir {$amount} sats ha sido enviada. Asegúrate de que tu billetera de lnd tenga fondos suficientes. El servidor stormd creará automáticamente los canales necesarios para usar esos fondos. Para cancelar esta solicitud, usa `{$p}cancel {$id}`. Para ver todas tus solicitudes, usa `{$p}getinfo`.
addfunds-planned-channel = {"  "}• un canal de {$amount} sats con {$peer} (directiva {$directive})
addfunds-one-transaction = {"  "}Los {$count} canales se financian con una sola transacción on-chain: una aprobación, una comisión.
addfunds-from-node = {"  "}Lo financia tu nodo {$node}.
removefunds-submitted = Tu solicitud para retirar {$amount} sats ha sido enviada. El servidor stormd cerrará canales y redirigirá la liquidez automáticamente. Para ver el estado del retiro, usa `{$p}getinfo`. Para cancelarlo, usa `{$p}cancel {$id}`.
removefunds-planned-close = {"  "}• cerrar el canal de {$amount} sats con {$peer}
move-submitted = Moviendo {$amount} sats de tu nodo {$from} a tu nodo {$to}: {$to} crea una factura (directiva {$directive}) y luego {$from} la paga, con {$fee} sats de comisión como máximo.
disconnect-submitted = Tu solicitud para desconectarte del grupo {$group} ha sido enviada. Se retirarán todos tus fondos ({$channels ->
        [one] un canal
       *[other] {$channels} canales
    } por cerrar). Espera mientras la liquidez se redirige alrededor de tu nodo. Si te desconectas antes de tiempo, podrían expulsarte del grupo.
disconnect-done = No tenías fondos asignados: has salido de {$group}. Ya puedes desconectarte con seguridad.
cancel-done = La solicitud {$id} está cancelada; no se ejecutó nada de ella.
approve-done = Aprobada {$id}: {$what}.
reject-done = Rechazada {$id}: {$what}.
admit-done = {$name} ya es miembro.
decline-done = Se rechazó la solicitud de {$name}.
directives-title = Tus directivas (las más recientes primero):
directives-line = {$id} — {$what} — {$status}
directives-none = No tienes directivas.
members-title = {$group}: {$count ->
        [one] un miembro
       *[other] {$count} miembros
    }
members-line = {$name} — {$status}, nodo {$node}, {$online}, puntuación {$rating}, aporte {$stake} sats
members-away = {" "}· en parada planificada
members-flow-private = {" "}· flujo privado
members-fleet-node = {"  "}+ nodo {$node}, {$online}
members-none = {$group} aún no tiene miembros. Sé el primero: /connect
members-not-paired = sin emparejar
members-online = en línea
members-offline = desconectado
member-status-requested = esperando a un administrador
member-status-active = miembro
member-status-leaving = saliendo
member-status-left = salió
member-status-banned = expulsado
lang-current = Tu idioma es {$lang}. Disponibles: {$available}. Cámbialo con /lang CÓDIGO.
lang-set = A partir de ahora te hablaré en español.
help-title = Comandos de Storm:
help-example = Ejemplo: {$example}
help-more = Para ver un comando en detalle: {$p}help COMANDO
console-not-a-command = Eso no es un comando. Escribe /help para ver la lista.

## Directivas, su estado y los avisos

directive-open-channel = abrir un canal de {$amount} sats con {$peer}
directive-open-channels = abrir {$count} canales en una sola transacción de financiación, {$total} sats en total: {$list}
directive-open-channels-item = {$amount} sats con {$peer}
directive-close-channel = cerrar el canal {$channel} con {$peer}
directive-force-close-channel = forzar el cierre del canal {$channel} con {$peer}
directive-rebalance = enviar un pago circular de {$amount} sats a través de {$route} (comisión máxima {$fee} sats)
directive-set-fees = fijar las comisiones del Storm: base {$base} msat, tasa {$ppm} ppm
directive-do-not-disconnect = no te desconectes: la liquidez se está redirigiendo alrededor de tu nodo
directive-safe-to-disconnect = ya puedes desconectarte con seguridad
directive-create-invoice = crear una factura de {$amount} sats que pagará tu nodo {$payer}
directive-pay-invoice = pagar {$amount} sats a tu nodo {$payee} (comisión máxima {$fee} sats)
status-created = 🕓 esperando a que stormd se conecte
status-sent = 📨 enviada a stormd
status-awaiting-approval = 🔔 esperando aprobación
status-approved = 👍 aprobada
status-rejected = ❌ rechazada por {$name}
status-executing = ⚙️ en ejecución
status-in-effect = 📌 en vigor
status-succeeded = ✅ hecha
status-succeeded-channel = ✅ hecha: canal {$channel}
status-succeeded-channels = ✅ hecha: {$count} canales financiados por una sola transacción, {$tx}
status-succeeded-payment = ✅ hecha: {$fee} sats pagados en comisiones
status-failed = ❌ falló: {$reason}
status-expired = ⌛ caducada
status-cancelled = ✖️ cancelada
button-approve = Aprobar
button-reject = Rechazar
button-admit = Admitir
button-decline = Rechazar
announce-member-requested = {$name} pide unirse a {$group}. Decide un administrador.
announce-member-joined = {$name} se unió a {$group}.
announce-member-paired = {$name} emparejó su nodo {$node}.
announce-member-node-added = {$name} emparejó otro nodo, {$node}: {$count} nodos en su flota.
announce-member-left = {$name} salió del Storm.
announce-member-banned = {$name} fue expulsado del Storm.
announce-directive = {$name} · {$id} · {$what} — {$status}
announce-allocation-add = Solicitud {$id} de {$name} para añadir {$amount} sats: {$status}
announce-allocation-remove = Solicitud {$id} de {$name} para retirar {$amount} sats: {$status}
allocation-status-pending = planificada
allocation-status-funding = los canales se están abriendo
allocation-status-closing = los canales se están cerrando
allocation-status-done = ✅ hecha
allocation-status-done-partial = ✅ hecha por {$moved} sats (el resto se rechazó, falló o caducó)
allocation-status-done-for = ✅ hecha por {$moved} sats
allocation-status-with-declined = {$status} · ❌ {$declined} sats rechazados por {$name}
allocation-status-declined = ❌ rechazada por {$name}
allocation-status-cancelled = ✖️ cancelada
allocation-status-failed = ❌ falló

## Comandos: uso, descripción, ejemplo (el uso de un comando sin argumentos está vacío)

cmd-connect-usage = [GRUPO]
cmd-connect-description = pedir unirse a este Storm
cmd-connect-example = connect Supercell
cmd-pair-usage = {""}
cmd-pair-description = obtener un código de un solo uso para emparejar tu stormd (chat privado)
cmd-pair-example = pair
cmd-addfunds-usage = CANTIDAD [NODO]
cmd-addfunds-description = aportar sats al Storm: el planificador abre canales con ellos
cmd-addfunds-example = addfunds 2000000
cmd-removefunds-usage = CANTIDAD
cmd-removefunds-description = retirar sats del Storm, de forma ordenada
cmd-removefunds-example = removefunds 500000
cmd-move-usage = CANTIDAD DESDE HASTA
cmd-move-description = mover sats entre dos de tus propios nodos (una flota), con factura y pago
cmd-move-example = move 100000 tienda almacen
cmd-disconnect-usage = {""}
cmd-disconnect-description = dejar el Storm: se cierran todos tus canales y luego puedes irte
cmd-disconnect-example = disconnect
cmd-cancel-usage = ID
cmd-cancel-description = cancelar una solicitud que aún no se ha ejecutado
cmd-cancel-example = cancel jX78nVt
cmd-getinfo-usage = {""}
cmd-getinfo-description = tu Storm de un vistazo (JSON)
cmd-getinfo-example = getinfo
cmd-members-usage = {""}
cmd-members-description = quién está en el Storm
cmd-members-example = members
cmd-directives-usage = {""}
cmd-directives-description = tus directivas y en qué punto están
cmd-directives-example = directives
cmd-audit-usage = [verify]
cmd-audit-description = el historial firmado del manager sobre ti, tal como lo guarda tu stormd; verify comprueba cada firma y que cada directiva que ejecutó tu stormd está ahí
cmd-audit-example = audit verify
audit-runs-locally = Ejecuta stormcli audit en tu propia máquina: lee y comprueba la copia del historial que guarda tu stormd.
cmd-approve-usage = ID|all
cmd-approve-description = aprobar una de tus directivas, o todas las que te esperan
cmd-approve-example = approve all
cmd-reject-usage = ID
cmd-reject-description = rechazar una de tus directivas
cmd-reject-example = reject Ab12Cd3
cmd-vote-usage = fee BASE TASA | yes ID | no ID
cmd-vote-description = vota la comisión de la Storm (base en msat; tasa como 0.000001 o 100ppm), o sí / no a una expulsión; cada voto pesa tu participación
cmd-vote-example = vote fee 1000 100ppm
cmd-downtime-usage = DURACIÓN | extend DURACIÓN | cancel
cmd-downtime-description = planificar un mantenimiento: el Storm rodea tu nodo y luego te avisa cuándo puedes irte; alárgalo o cancélalo
cmd-downtime-example = downtime 2h
cmd-admit-usage = MIEMBRO
cmd-admit-description = admitir una solicitud para unirse (administradores)
cmd-admit-example = admit @bob
cmd-decline-usage = MIEMBRO
cmd-decline-description = rechazar una solicitud para unirse (administradores)
cmd-decline-example = decline @mallory
cmd-ban-usage = MIEMBRO [now] MOTIVO
cmd-ban-description = somete una expulsión al voto de los miembros (administradores); now expulsa al momento donde las reglas de la Storm lo permiten
cmd-ban-example = ban @mallory cierra canales a la fuerza una y otra vez
cmd-unban-usage = MIEMBRO
cmd-unban-description = levanta una expulsión (administradores): el miembro puede volver a pedir unirse
cmd-unban-example = unban @mallory
cmd-lang-usage = [CÓDIGO]
cmd-lang-description = ver o cambiar tu idioma
cmd-lang-example = lang en
cmd-help-usage = [COMANDO]
cmd-help-description = esta lista, o un comando en detalle
cmd-help-example = help addfunds
cmd-dashboard-usage = {""}
cmd-dashboard-description = obtén un enlace de un solo uso para entrar al panel (te llega en privado)
cmd-dashboard-example = dashboard
cmd-stats-usage = {""}
cmd-stats-description = una imagen de la liquidez y el flujo del Storm
cmd-stats-example = stats

## Errores: lo que ve el usuario en cada fallo esperado

error-unexpected = Algo salió mal ({$code}). No se cambió nada.
error-unknown-command = No conozco el comando «{$command}». Escribe {$p}help para ver la lista.
error-missing-argument = A «{$command}» le falta algo: mira {$p}help {$command}.
error-too-many-arguments = «{$command}» lleva menos palabras: mira {$p}help {$command}.
error-amount-not-a-number = «{$value}» no es una cantidad. Escribe sats enteros, como 2000000, 2.000.000 o 2m.
error-amount-not-positive = La cantidad debe ser mayor que cero.
error-amount-not-whole = «{$value}» no es un número entero de sats.
error-amount-too-large = Son más sats de los que existirán jamás.
error-amount-ambiguous = «{$value}» se puede leer de más de una manera, así que no se hizo nada. Escribe sats enteros con puntos (o espacios) solo entre grupos de tres cifras, como 2.000.000, o una coma decimal antes de k o m, como 2,5m.
error-bad-id = «{$value}» no es un identificador: se parecen a jX78nVt.
error-bad-duration = «{$value}» no es una duración. Escríbela como 90m, 2h o 1d.
error-duration-too-long = Un mantenimiento puede durar 30 días como máximo.
error-bad-vote = Vota así: vote fee BASE TASA, por ejemplo vote fee 1000 0.000001.
error-bad-base-fee = «{$value}» no es una comisión base: milisatoshis enteros, como 1000.
error-bad-fee-rate = «{$value}» no es una tasa: una fracción entre 0 y 1 con 6 decimales como mucho, como 0.000001, o partes por millón, como 100ppm.
error-not-admin = Solo los administradores del grupo pueden hacer eso.
error-not-a-member = No eres miembro de {$group}. Únete con /connect.
error-membership-pending = Tu solicitud para unirte a {$group} espera a un administrador.
error-banned = Estás expulsado de {$group}.
error-already-member = Ya eres miembro de {$group}.
error-wrong-group = Esto es {$group}, no {$asked}.
error-agents-use-chat = Únete a un Storm desde su chat: usa /connect allí.
error-not-paired = Tu nodo aún no está emparejado. Pide un código con /pair en un chat privado y luego ejecuta stormd pair.
error-leaving = Estás saliendo del Storm: no hay solicitudes nuevas hasta que termine.
error-no-report-yet = Tu stormd aún no ha informado de los saldos de tu nodo. ¿Está en marcha? Inténtalo de nuevo en un minuto.
error-insufficient-funds = Tu billetera no puede financiar {$amount} sats: hay {$available} sats disponibles, descontando las solicitudes en curso y una reserva para comisiones.
error-node-insufficient-funds = Tu nodo {$node} no puede financiar {$amount} sats: hay {$available} sats disponibles, descontando las solicitudes en curso y una reserva para comisiones.
error-fleet-insufficient-funds = Ninguno de tus nodos puede financiar {$amount} sats: lo más disponible son {$available} sats, en {$node}, descontando las solicitudes en curso y una reserva para comisiones.
error-node-no-report-yet = El stormd de tu nodo {$node} aún no ha informado de sus saldos. ¿Está en marcha? Inténtalo de nuevo en un minuto.
error-amount-below-min-channel = El canal más pequeño en este Storm es de {$min} sats.
error-peers-all-planned = Cada uno de los otros {$count} miembros emparejados ya tiene un canal contigo planificado por la solicitud {$id} (un canal por miembro). Para añadir otra cantidad, cancélala con `{$p}cancel {$id}` y pide de nuevo.
error-peers-all-taken = Cada uno de los otros {$count} miembros emparejados ya tiene un canal contigo, o uno abriéndose (un canal por miembro). Storm podrá añadir fondos de nuevo cuando se empareje un miembro nuevo, o después de `{$p}removefunds`.
error-no-peers-available = Todavía no hay otro miembro emparejado con quien abrir canales.
error-amount-above-storm-capacity = Es más de lo que este Storm puede colocar en una solicitud: como máximo {$max} sats ahora.
error-nothing-allocated = No tienes fondos asignados en este Storm.
error-remove-more-than-allocated = Tienes {$allocated} sats asignados; no puedes retirar más.
error-unknown-request = No existe la solicitud {$id}.
error-not-your-request = La solicitud {$id} no es tuya: solo su dueño puede cancelarla.
error-request-finished = La solicitud {$id} ya terminó ({$status}).
error-request-executing = La solicitud {$id} ya se está ejecutando y no se puede cancelar.
error-unknown-directive = No existe la directiva {$id}.
error-not-your-directive = La directiva {$id} no es tuya: solo puede decidirla el miembro al que va dirigida.
error-approval-local-only = La directiva {$id} ({$kind}) solo se puede aprobar en la máquina del nodo, con stormcli approve (localApproval en stormd.conf).
error-directive-not-awaiting = La directiva {$id} no espera una decisión ({$status}).
error-nothing-to-approve = No hay nada esperando tu aprobación.
error-directive-already-finished = La directiva {$id} ya terminó ({$status}).
error-directive-bad-transition = La directiva {$id} no puede pasar de {$from} a {$to}.
error-directive-lifetime-too-long = Rechazada: la directiva {$id} seguiría vigente más de {$days} días.
error-directive-expired = La directiva {$id} ha caducado.
error-unknown-member = No existe el miembro «{$ref}».
error-ambiguous-member = «{$ref}» puede ser más de un miembro ({$ids}): usa el id del miembro.
error-no-pending-request = {$name} no tiene ninguna solicitud pendiente.
error-unknown-language = Todavía no hablo «{$lang}». Disponibles: {$available}.
error-not-built-yet = «{$feature}» aún no está disponible en esta versión de Storm. No se cambió nada.
error-node-mismatch = El nodo de este agente no es el que se emparejó.
error-node-already-paired = Ese nodo ya está emparejado con {$name}.
error-agent-already-paired = Ese stormd ya está emparejado con otro miembro.
error-fleet-full = Un miembro empareja como mucho {$max} nodos.
error-not-your-node = No tienes ningún nodo {$node} (indica su alias o el comienzo de su clave).
error-same-node = Los dos nodos son el mismo.
error-pairing-code-invalid = Este código de emparejamiento es incorrecto, ha caducado o ya se usó. Pide uno nuevo con /pair.
error-pairing-code-malformed = «{$code}» no es un código de emparejamiento: se parecen a K7PX-Q2MD.
error-pairing-bad-nonce = El emparejamiento falló: la respuesta no corresponde al desafío. Inténtalo de nuevo.
error-pairing-bad-agent-signature = El emparejamiento falló: la firma del agente no es válida.
error-pairing-bad-node-signature = El emparejamiento falló: la firma del nodo no demuestra que lo controlas.
error-pairing-no-answer = El gestor no respondió. Puede que el código sea incorrecto o haya caducado, o que el gestor no esté accesible.
error-pairing-refused = El gestor rechazó el emparejamiento: {$reason}.
error-pairing-wrong-group = Este código es para {$group}, pero stormd.conf dice group={$expected}.
error-manager-unreachable = stormd no está conectado al gestor ahora mismo. Inténtalo de nuevo en breve.
error-command-timeout = El gestor no respondió a tiempo.
error-peer-not-in-storm = Rechazado: el par {$peer} no es un miembro emparejado de este Storm.
error-payment-leaves-storm = Rechazado: el pago pasaría por {$hop}, que no está en este Storm.
error-payee-not-own-node = Rechazado: {$node} no es uno de tus nodos; una factura simple solo se paga entre nodos del mismo miembro.
error-invoice-mismatch = Rechazado: la factura no pide lo que dice la directiva (pide {$amount} sats, o se paga a otro nodo).
error-limit-channel-size = Rechazado: un canal de {$capacity} sats está fuera de tus límites ({$min}–{$max} sats).
error-limit-channels-per-day = Rechazado: permites como máximo {$max} canales nuevos al día.
error-limit-onchain-spend = Rechazado: {$capacity} sats más superarían tu límite diario de {$max} ({$used} usados).
error-limit-force-close = Rechazado: no permites cierres forzados.
error-limit-transaction-size = Rechazado: un pago de {$amount} sats supera tu límite de {$max}.
error-limit-payment-too-soon = Rechazado: el último pago de reequilibrio fue hace muy poco; espera {$seconds} s.
error-limit-transactions-per-period = Rechazado: permites como máximo {$max} pagos de reequilibrio por periodo.
error-limit-amount-per-period = Rechazado: tu límite de reequilibrio es {$max} sats por periodo ({$used} usados).
error-limit-fee-per-period = Rechazado: tu presupuesto de comisiones es {$max} sats por periodo ({$used} usados).
error-channel-peer-mismatch = Rechazado: el canal {$channelPoint} no es con el par esperado.
error-interrupted = stormd se detuvo mientras esto se ejecutaba y no pudo confirmar si ocurrió; no se reintentó.
error-interrupted-not-sent = stormd se detuvo antes de enviar el pago; el nodo confirma que nunca salió, y no se reintentó.
error-ln-unavailable = El nodo Lightning no responde.
error-ln-permission-denied = El nodo Lightning se negó: al macaroon le falta un permiso.
error-ln-not-synced = El nodo Lightning aún se está sincronizando con la cadena.
error-ln-insufficient-funds = La billetera del nodo Lightning no tiene suficientes fondos confirmados.
error-ln-peer-unreachable = El nodo Lightning no pudo alcanzar al par.
error-ln-channel-too-small = El canal es más pequeño que el mínimo del nodo.
error-ln-channel-too-large = El canal es más grande que el máximo del nodo.
error-ln-channel-not-found = El canal no existe en el nodo.
error-ln-no-route = No hay ruta: a un salto le falta liquidez o está desconectado.
error-ln-fee-too-high = La ruta cuesta más que la comisión permitida.
error-ln-payment-failed = El pago falló.
error-ln-invalid-request = El nodo Lightning rechazó la petición por no ser válida.
error-config-invalid = Error de configuración en «{$key}»: {$reason}.
error-config-syntax = Error de configuración en la línea {$line}: «{$text}» no tiene la forma clave=valor.
error-config-unreadable = No se puede leer el archivo de configuración {$path}: {$reason}.
error-config-duplicate-key = Error de configuración: «{$key}» aparece dos veces, en la línea {$first} y en la línea {$second}. Deja solo una.
error-config-unknown-key = Error de configuración: no existe la clave «{$key}» (se distinguen mayúsculas y minúsculas; config/stormd.sample.conf las enumera todas).
error-store-corrupt = El archivo de estado {$path} está dañado ({$reason}). Storm se detuvo y no lo tocó. { $latest ->
        [none] Aún no hay ninguna copia de seguridad: repara el archivo, o apártalo para empezar de cero.
       *[other] La copia de seguridad más reciente es {$latest}: detén Storm, cópiala sobre {$path} y vuelve a arrancar.
    }
error-store-unreadable = No se puede leer el archivo de estado {$path}: {$reason}. Storm se detuvo y no lo tocó. { $latest ->
        [none] Aún no hay ninguna copia de seguridad.
       *[other] La copia de seguridad más reciente es {$latest}.
    }
error-store-too-new = El archivo de estado {$path} lo escribió un Storm más nuevo (versión {$version}; este lee la {$supported}). Storm se detuvo y no lo tocó: usa el Storm más nuevo, o restaura { $latest ->
        [none] una copia de antes de la actualización.
       *[other] la copia de seguridad más reciente, {$latest}, si es anterior.
    }

## La demo

demo-banner = Storm de demostración «{$group}»: {$members} son miembros, con {$channels} canales entre ellos, en una red Lightning simulada. Cada uno ejecuta un stormd real sobre Hyperswarm.
    Tú eres @you. Tu nodo simulado tiene {$funds} sats en cadena y tu stormd está en marcha, aún sin emparejar.
    Prueba: /connect, /addfunds 2000000, /approve all, /getinfo, o /help. Termina con Ctrl-D.
    Tu stormd también responde a stormcli en otra terminal: npx stormcli --socket {$socket} getinfo
demo-paired = (demo) Tu stormd se emparejó con el código {$code}, como lo haría `stormd pair` en tu máquina.

## El enlace y los archivos de claves

error-message-gone = El mensaje del chat que había que actualizar ya no existe; se publica uno nuevo.
error-bad-body = Un mensaje del protocolo no era válido para su tipo y no se envió.
error-too-large = Un mensaje del protocolo era demasiado grande para enviarlo.
error-key-file-not-found = El archivo de claves {$path} no existe.
error-key-file-unreadable = No se puede leer el archivo de claves {$path}: {$reason}.
error-key-file-corrupt = El archivo de claves {$path} está dañado ({$reason}). No se tocó.
error-key-file-insecure = Otros usuarios pueden leer el archivo de claves {$path}; ejecuta: chmod 600 {$path}
error-key-file-unwritable = No se puede escribir el archivo de claves {$path}: {$reason}.
error-history-mismatch = El historial (longitud {$length}) es más corto de lo que el estado dice haber visto ({$seen}), con {$pending} entradas pendientes: la carpeta del historial se reemplazó o se perdió. Restaura la carpeta de datos del gestor desde una misma copia, estado e historial juntos.

## Códigos de estado y de tipo en palabras, para frases que nombran un estado o un tipo (nunca códigos en bruto)
code-status-created = creada
code-status-sent = enviada
code-status-received = recibida
code-status-awaiting-approval = esperando aprobación
code-status-approved = aprobada
code-status-rejected = rechazada
code-status-executing = en ejecución
code-status-succeeded = hecha
code-status-failed = fallida
code-status-expired = caducada
code-status-cancelled = cancelada
code-status-revoked = retirada
code-status-pending = planificada
code-status-funding = abriendo canales
code-status-done = hecha
code-kind-open-channel = abrir un canal
code-kind-open-channels = abrir canales en una sola transacción
code-kind-close-channel = cerrar un canal
code-kind-rebalance = reequilibrio circular
code-kind-create-invoice = factura a tu propio nodo
code-kind-pay-invoice = pago a tu propio nodo
code-kind-set-fees = fijar comisiones
code-kind-do-not-disconnect = seguir conectado
code-kind-safe-to-disconnect = se puede desconectar

## Gobernanza: votos de comisión, expulsiones, valoración

announce-fee-vote = 🗳 {$name} vota por base {$base} msat, tasa {$rate} ppm (votación {$id}): han votado {$voted} de {$total} sats de participación; hace falta el {$quorum}%.
announce-fee-consensus = 💱 Cambia la comisión de la Storm (votación {$id}): base {$fromBase} → {$toBase} msat, tasa {$fromRate} → {$toRate} ppm. {$voters} votantes con {$voted} de {$total} sats de participación; se indica a {$directives} nodos que la apliquen.
announce-fee-consensus-same = 💱 La votación {$id} mantiene la comisión de la Storm en base {$toBase} msat, tasa {$toRate} ppm ({$voters} votantes con {$voted} de {$total} sats de participación).
announce-fee-round-lapsed = 🗳 La votación de comisión {$id} terminó sin quórum: votaron {$voted} de {$total} sats de participación; hacía falta el {$quorum}%. Los votos siguen en pie para la próxima ronda.
announce-ban-proposed = ⚖️ Votación {$id}: ¿expulsar a {$name}? Motivo: {$reason}. Los miembros votan sí o no (con los botones, o vote yes {$id}) hasta el {$deadline} UTC, cada uno según su participación ({$total} sats en total).
announce-ban-vote = ⚖️ {$voter} vota {$choice} a expulsar a {$name} (votación {$id}): sí {$yes}, no {$no} de {$total} sats de participación.
announce-ban-passed = ⚖️ La votación {$id} salió adelante: {$name} queda expulsado. Sí {$yes}, no {$no} de {$total} sats de participación.
announce-ban-rejected = ⚖️ La votación {$id} fue rechazada: {$name} se queda. Sí {$yes}, no {$no} de {$total} sats de participación.
announce-ban-lapsed = ⚖️ La votación {$id} sobre expulsar a {$name} terminó sin quórum: votaron {$voted} de {$total} sats de participación; hacía falta el {$quorum}%. {$name} se queda.
announce-member-banned-closes = ⛔ {$name} queda expulsado: {$reason}. Su agente queda desconectado; se están cerrando {$closes} canales con su nodo.
announce-member-unbanned = Se levanta la expulsión de {$name}: puede volver a pedir unirse.
announce-rating-warning = ⚠️ La valoración de disponibilidad de {$name} es {$rating} en los últimos 7 días (aviso por debajo de {$warn}, votación de expulsión por debajo de {$ban}).
ban-choice-yes = sí
ban-choice-no = no
error-fee-rate-ambiguous = «{$value}» se puede leer de dos maneras: escribe {$ppm} para partes por millón, o {$fraction} como fracción.
error-base-fee-above-limit = Las votaciones de esta Storm admiten una comisión base de {$max} msat como mucho.
error-fee-rate-above-limit = Las votaciones de esta Storm admiten una tasa de {$max} ppm como mucho.
error-cannot-ban-self = No puedes expulsarte a ti mismo.
error-already-banned = {$name} ya está expulsado.
error-not-a-current-member = {$name} no es miembro ahora.
error-ban-reason-required = Di por qué: ban @miembro MOTIVO.
error-ban-reason-too-long = El motivo puede tener {$max} caracteres como mucho.
error-ban-already-proposed = Ya hay una votación abierta para expulsar a {$name} ({$id}).
error-outright-ban-not-allowed = Las reglas de esta Storm someten toda expulsión a votación: quita «now» para proponerla.
error-unknown-proposal = No hay ninguna votación {$id}.
error-proposal-closed = La votación {$id} ya terminó ({$status}).
error-cannot-vote-on-own-ban = No puedes votar sobre tu propia expulsión.
error-joined-after-proposal = Te uniste después de abrirse la votación {$id}: solo votan quienes eran miembros entonces.
error-not-banned = {$name} no está expulsado.
error-bad-window = Ese periodo de mantenimiento termina antes de empezar.
vote-fee-taken = Tu voto: base {$base} msat, tasa {$rate} ppm, con el peso de tu participación de {$stake} sats. Han votado {$voted} de {$total} sats de participación; decide el {$quorum}%.
vote-fee-unchanged = Ese ya es tu voto (base {$base} msat, tasa {$rate} ppm; tu participación {$stake} sats). Han votado {$voted} de {$total} sats de participación.
vote-fee-decided = Tu voto lo decidió: con {$voted} de {$total} sats de participación votando, la comisión de la Storm es ahora base {$toBase} msat, tasa {$toRate} ppm.
vote-ban-taken = Tu voto en {$id}: {$choice}, con el peso de tu participación de {$stake} sats. Sí {$yes}, no {$no} de {$total} sats de participación.
ban-proposed = La expulsión de {$name} se somete al voto de los miembros ({$id}).
ban-done = {$name} queda expulsado. Se están cerrando {$closes} canales con su nodo.
unban-done = Se levanta la expulsión de {$name}.
button-vote-yes = Sí, expulsar
button-vote-no = No
announce-ban-tally = {$text} — por ahora: sí {$yes}, no {$no} de {$total} sats de participación (último: {$voter} {$choice}).
code-status-passed = aprobada
code-status-lapsed = terminó sin quórum
code-status-withdrawn = retirada
code-status-open = abierta

## Planned downtime (`downtime`)

downtime-preparing = Parada planificada {$id} de {$duration}: sigue conectado por ahora. El Storm deja de colocar liquidez en tu nodo y equilibra los canales de los demás miembros a su alrededor ({$rebalances} pagos de reequilibrio). Se te avisará cuándo puedes desconectarte. Cancelar: `{$p}downtime cancel`; más tiempo: `{$p}downtime extend 1h`.
downtime-granted-now = Parada planificada {$id}: ya puedes desconectarte. Tu ventana termina a las {$end} UTC ({$duration}) y no cuenta contra tu valoración. Si vuelves antes: `{$p}downtime cancel`; más tiempo: `{$p}downtime extend 1h`.
downtime-cancelled = La parada planificada {$id} está cancelada: el Storm vuelve a colocar liquidez en tu nodo.
downtime-extended = La parada planificada {$id} dura ahora {$duration}.
downtime-extended-until = La parada planificada {$id} dura ahora {$duration}: tu ventana termina a las {$end} UTC.
announce-downtime-requested = 🛠 {$name} pidió {$duration} de parada planificada ({$id}). El Storm deja de colocar liquidez en el nodo de {$name} y { $rebalances ->
    [0] encuentra ya equilibrados los canales de los demás miembros
   *[other] equilibra los canales de los demás miembros a su alrededor ({$rebalances} pagos de reequilibrio)
}; {$name} sigue conectado hasta que pueda irse sin riesgo.
announce-downtime-granted = 🛠 {$name}: ya puedes desconectarte (parada {$id}). La ventana termina a las {$end} UTC y no cuenta contra la valoración; los pagos entre los demás miembros rodean el nodo.
announce-downtime-extended = 🛠 La parada planificada {$id} de {$name} dura ahora {$duration}.
announce-downtime-cancelled = 🛠 {$name} canceló la parada planificada {$id}: el nodo vuelve a entrar en los planes del Storm.
announce-downtime-left-early = ⚠️ El nodo de {$name} se desconectó antes de que fuera seguro (parada {$id}): el tiempo hasta que vuelva cuenta contra la valoración.
announce-downtime-overdue = ⚠️ La ventana de parada {$id} de {$name} terminó a las {$end} UTC y el nodo no ha vuelto: el tiempo hasta que vuelva cuenta contra la valoración.
announce-downtime-back = 👋 {$name} volvió de la parada planificada {$id} a tiempo.
announce-downtime-back-late = ⚠️ {$name} volvió de la parada planificada {$id} con {$late} de retraso: ese tiempo contó contra la valoración.
error-bad-downtime = Escribe `{$p}downtime 2h` para planificar una parada, `{$p}downtime extend 1h` para alargarla, o `{$p}downtime cancel`.
error-downtime-off = Las paradas planificadas están desactivadas en las reglas de este Storm.
error-downtime-too-long = Una parada planificada puede durar como máximo {$max} en este Storm (con las prórrogas). No se cambió nada.
error-downtime-underway = Ya tienes la parada planificada {$id}: alárgala con `{$p}downtime extend 1h` o cancélala con `{$p}downtime cancel`.
error-downtime-too-often = Este Storm permite {$count} ventanas de parada cada {$period}; la próxima puede empezar después de las {$next} UTC. No se cambió nada.
error-downtime-busy = {$count} miembro(s) ya están en una parada planificada: el Storm rodea a uno a la vez. Inténtalo cuando hayan vuelto.
error-downtime-node-down = Tu nodo no está conectado y sano ahora mismo, así que aún no hay nada que rodear: vuelve a conectarlo y pídelo de nuevo.
error-no-downtime = No tienes ninguna parada planificada en curso.
error-downtime-over = Tu ventana de parada {$id} ya terminó: vuelve a conectar tu nodo (el tiempo cuenta contra tu valoración).
## El Storm se mueve alrededor de un nodo: salida ordenada, acogida (issue 11)
exit-reply-reinforce = {"  "}• primero, {$opener} abre {$amount} sats hacia {$to}, que de lo contrario {$reason ->
        [cut_off] quedaría aislado de los demás
       *[thin] quedaría con muy poca capacidad en el Storm
    }
exit-reply-nobody-at-risk = {"  "}• el Storm lo comprobó: estos cierres no aíslan a ningún miembro ni dejan a nadie sin capacidad, así que van ya
exit-reply-deferred = {"  "}• {$later ->
        [one] un cierre espera
       *[other] {$later} cierres esperan
    } a que esa capacidad esté abierta; los demás van ya
announce-exit-planned = 🧭 {$name} {$leaves ->
        [yes] deja el Storm
       *[other] retira fondos
    } ({$id}). Cerrar esos canales de golpe perjudicaría a los demás, así que el Storm añade capacidad primero:
announce-exit-cut-off = {"  "}• {$name} quedaría aislado de los demás miembros
announce-exit-thin = {"  "}• {$name} conservaría solo {$after} sats en canales del Storm (las reglas piden {$min})
announce-exit-reinforce = {"  "}• se pide a {$opener} que abra {$amount} sats hacia {$to}
announce-exit-unhelped = {"  "}• nadie puede abrir un canal hacia {$name} ahora (ningún miembro tiene fondos): quedará aislado
announce-exit-order = {"  "}{$now} {$now ->
        [one] cierre va
       *[other] cierres van
    } ya (no aíslan a nadie); {$later} {$later ->
        [one] espera
       *[other] esperan
    } a la nueva capacidad. El nodo que sale debe seguir en línea hasta que se le diga que puede irse.
announce-exit-ready = ✅ La nueva capacidad está abierta: {$closes ->
        [one] el último canal
       *[other] los últimos {$closes} canales
    } de {$name} se cierran ahora, y nadie queda aislado.
announce-exit-ready-without = ⚠️ {$failed ->
        [one] Un canal que pidió el Storm no se abrió
       *[other] {$failed} canales que pidió el Storm no se abrieron
    } (rechazados o fallidos): {$closes ->
        [one] el último canal
       *[other] los últimos {$closes} canales
    } de {$name} se cierran igualmente — no se puede retener a {$name} en el Storm para siempre.
announce-exit-ready-unhelped = ⚠️ Ningún miembro pudo abrir un canal hacia los afectados: {$closes ->
        [one] el último canal
       *[other] los últimos {$closes} canales
    } de {$name} se cierran igualmente — no se puede retener a {$name} en el Storm para siempre.
announce-left-early = ⚠️ {$name} se desconectó antes de que el Storm estuviera listo ({$open} {$open ->
        [one] canal
       *[other] canales
    } por cerrar). Como avisó el Storm, esto cuenta contra la puntuación de disponibilidad de {$name}.
announce-allocation-exit = {$name} abre {$amount} sats hacia {$to} para que nadie quede aislado ({$id}): {$status}
announce-allocation-onboard = {$name} impulsa a {$to} con {$amount} sats ({$id}): {$status}
announce-lifted = 🛟 {$name} llegó sin fondos: el Storm le da impulso.
announce-lifted-by = {"  "}• {$opener} abre {$amount} sats hacia {$name}
announce-lifted-budget = {"  "}{$name} puede recibir en cuanto un canal esté abierto, y enviar cuando haya recibido. Presupuesto para recién llegados que queda hoy: {$left} de {$day} sats.
announce-lift-refused = {$name} no tiene fondos, pero el Storm no abrió nada: {$why}
lift-asked = El Storm pidió a {$openers} {$openers ->
        [one] miembro
       *[other] miembros
    } que abran {$amount} sats en canales hacia ti. Podrás recibir en cuanto uno esté abierto.
lift-willing-on = Gracias: se te pedirá primero abrir canales hacia recién llegados sin fondos (cada uno es una directiva que apruebas).
lift-willing-off = Se te pedirá impulsar a recién llegados solo cuando ningún miembro dispuesto pueda.
cmd-lift-usage = [on|off]
cmd-lift-description = ¿sin fondos? pide al Storm que abra canales hacia ti; `on`/`off`: abrir canales a recién llegados
cmd-lift-example = lift on
error-bad-lift-word = `lift` no lleva nada, o `on` u `off`, no «{$value}».
error-lift-not-needed = Tienes {$available} sats que puedes poner tú en un canal: usa `{$p}addfunds`.
error-onboarding-off = Las reglas de este Storm no impulsan a recién llegados.
error-onboarding-newcomer-budget-used = El Storm ya abrió hacia ti su presupuesto por recién llegado ({$budget} sats).
error-onboarding-budget-exhausted = el presupuesto del día para recién llegados está agotado (quedan {$left} de {$day} sats, y el canal más pequeño es de {$min} sats). Vuelve a pedirlo mañana con /lift.
error-onboarding-no-openers = ningún miembro puede abrir ahora {$amount} sats en canales (sin fondos suficientes, o ningún miembro dispuesto).
error-bad-demo-funds = STORM_DEMO_FUNDS debe ser un número entero de sats (0 o más), no «{$value}».
