## El panel (páginas web que sirve el gestor)

dash-nav-overview = Resumen
dash-nav-storm = Vista de miembros
dash-nav-compare = Comparar Storms
dash-logout = cerrar sesión
dash-live = ● en vivo
dash-offline = ○ reconectando…
dash-sats = {$n} sats
dash-fee = base {$base} msat · tasa {$rate} ppm

dash-fig-members = miembros
dash-fig-channels = canales
dash-fig-capacity = capacidad
dash-fig-fee = comisión de consenso
dash-fig-earnings = por 1M sats al día

dash-unknown-not-reported = aún sin informar
dash-unknown-not-yet-available = aún no disponible
dash-unknown-no-data = aún sin datos
dash-unknown-too-short = aún pocos datos (menos de una hora de informes)

dash-members = Miembros
dash-col-member = Miembro
dash-col-status = Estado
dash-col-online = Agente
dash-col-stake = Participación (sats)
dash-col-share = Parte
dash-col-rating = Calificación
dash-col-channels = Canales
dash-col-choice = Opción
dash-col-voters = Votantes
dash-col-weight = Peso
dash-col-id = Id
dash-col-what = Qué
dash-col-expires = Vence
dash-online = conectado
dash-offline-member = desconectado
dash-stake-allocations = participación según las asignaciones del miembro (su agente aún no ha informado)
dash-status-requested = pidió unirse
dash-status-active = activo
dash-status-leaving = saliendo
dash-status-left = salió
dash-status-banned = expulsado

dash-graph = Grafo de canales
dash-graph-empty = Aún no hay miembros emparejados.
dash-graph-channel = {$a} → {$b}: {$capacity} sats, {$share} del lado de {$a} (punto de equilibrio {$point}) — {$zone}
dash-graph-channel-unknown = {$a} → {$b}: {$capacity} sats, {$state}, saldos aún sin informar
dash-zone-balanced = equilibrado
dash-zone-a-heavy = demasiado del lado de quien lo abrió
dash-zone-b-heavy = demasiado del otro lado
dash-chan-active = activo
dash-chan-inactive = inactivo
dash-chan-opening = abriéndose
dash-chan-closing = cerrándose
dash-legend-balanced = dentro de la zona muerta
dash-legend-drifting = desviándose
dash-legend-far = muy desviado
dash-legend-unknown = sin informar / abriéndose
dash-balance-point = Punto de equilibrio {$point} del lado que abrió cada canal, zona muerta ±{$deadzone}; el punto marca dónde está el saldo.
dash-balance-from-rules = (de las reglas de reequilibrio del Storm)
dash-balance-from-default = (valores por defecto de Tightrope)

dash-fees = Comisiones de consenso y votos
dash-consensus = Cada canal del Storm cobra base {$base} msat y {$rate} ppm.
dash-consensus-default = Son los valores por defecto del Storm: ningún voto los ha decidido aún.
dash-consensus-decided = Decididas por votación el {$at}.
dash-votes = Distribución de votos (ponderada por participación)
dash-votes-none = No hay votos de comisión vigentes.
dash-votes-summary = Votaron {$voters} miembros, con el {$share} de la participación.

dash-pending = Directivas y votaciones pendientes
dash-pending-none = Nada pendiente: todas las directivas han terminado.
dash-proposals = Propuestas abiertas
dash-proposals-none = No hay propuestas abiertas.
dash-proposal-votes = {$voters} votaron ({$share} de la participación), cierra el {$deadline}
dash-kind-open-channel = abrir un canal
dash-kind-open-channels = abrir canales en una sola transacción
dash-kind-close-channel = cerrar un canal
dash-kind-rebalance = reequilibrio circular
dash-kind-create-invoice = factura a nodo propio
dash-kind-pay-invoice = pago a nodo propio
dash-kind-set-fees = fijar comisiones
dash-kind-do-not-disconnect = no desconectarse
dash-kind-safe-to-disconnect = puede desconectarse
dash-dstatus-created = creada
dash-dstatus-sent = enviada
dash-dstatus-awaiting-approval = esperando aprobación
dash-dstatus-approved = aprobada
dash-dstatus-rejected = rechazada
dash-dstatus-executing = ejecutándose
dash-dstatus-succeeded = hecha
dash-dstatus-failed = fallida
dash-dstatus-expired = vencida
dash-dstatus-cancelled = cancelada

dash-flow = Flujo y comisiones en el tiempo
dash-flow-rates = Flujo: {$tps} reenvíos por segundo, {$perDay} sats al día. En el periodo: {$forwards} reenvíos, {$fees} sats de comisiones.
dash-flow-rates-unknown = Flujo: {$why}. En el periodo: {$forwards} reenvíos, {$fees} sats de comisiones.
dash-flow-none = Aún no se ha informado flujo en este periodo.
dash-flow-skipped = Se omitieron {$n} ventanas de informe (solapadas, o demasiado largas para situarlas en el tiempo).
dash-chart-amount = Reenviado por canales del Storm
dash-chart-fees = Comisiones ganadas

dash-earnings = Ganancias esperadas
dash-earnings-value = {$n} sats por cada 1.000.000 sats al día
dash-earnings-formula = ganancias = comisiones ÷ días ÷ (capacidad ÷ 1.000.000)
dash-earnings-numbers = {$fees} sats ÷ {$days} días ÷ ({$capacity} sats ÷ 1.000.000)
dash-earnings-note = Comisiones que los miembros ganaron reenviando por canales del Storm en el periodo, sobre el tiempo que cubren los informes, por cada millón de sats de capacidad actual del Storm. Ganancias pasadas, no una promesa.

dash-you = Tú ({$name})
dash-you-figures = Tu participación: {$stake} sats en {$channels} canales. Directivas esperando tu aprobación: {$waiting}.
dash-go-storm = Abrir la vista de miembros →
dash-login-hint = Miembros: pidan al bot un enlace de acceso por mensaje directo y ábranlo aquí.
dash-login-needed-title = Solo para miembros
dash-login-title = Entrar al panel de {$group}
dash-login-button = Entrar
dash-login-refused = Acceso rechazado
dash-summary-published = Este Storm publica su resumen público:
dash-summary-schema = su esquema (storm-summary/1)

dash-compare = Comparar Storms
dash-compare-note = El resumen público de cada Storm, descargado por este gestor. Pulsa una columna para ordenar.
dash-cmp-name = Storm
dash-cmp-baseFee = Comisión base (msat)
dash-cmp-feeRate = Tasa (ppm)
dash-cmp-flowRate = Flujo (reenvíos/s)
dash-cmp-members = Miembros
dash-cmp-capacity = Capacidad (sats)
dash-cmp-earnings = Ganancias por 1M sats/día
dash-cmp-status-stale = desactualizado
dash-cmp-status-malformed = mal formado
dash-cmp-status-too-large = demasiado grande
dash-cmp-status-unreachable = inalcanzable

dash-proposals-unavailable = Este Storm aún no guarda propuestas ni sus votos.
dash-not-rated = aún sin calificar
dash-cmp-age = generado hace {$hours} h

dash-not-found = No encontrado
dash-not-found-text = Esa página no existe.
dash-error-title = Algo salió mal
dash-error-text = No se pudo generar la página; el registro del gestor dice por qué.

error-login-unknown = Este enlace de acceso no es válido. Pide uno nuevo al bot.
error-login-used = Este enlace de acceso ya se usó. Pide uno nuevo al bot.
error-login-expired = Este enlace de acceso ha vencido. Pide uno nuevo al bot.
error-dashboard-off = El panel no está en marcha en este Storm.
error-dashboard-listen-failed = El panel no pudo escuchar en {$address}: {$reason}
demo-dashboard = Panel: {$url}
demo-dashboard-login = (demo) Tu vista de miembro del panel: {$url}

## /stats como imagen (el generador de PNG)

stats-stake = Participación por miembro (sats)
stats-balance = {$channels} canales
stats-balanced = equilibrados
stats-drifting = desviados
stats-unknown = sin informar
stats-capacity = Capacidad: {$capacity} sats
stats-fee = Comisión: {$base} msat + {$rate} ppm
stats-earnings = Por 1M sats al día: {$value}
stats-flow = Reenviado por canales del Storm (sats por hora)
stats-no-flow = Aún no se ha informado flujo.
stats-max = máx. {$value}
stats-caption = {$group}: liquidez y flujo

## /dashboard and /stats in the chat

dashboard-link = Tu enlace para entrar al panel de {$group}. Funciona una sola vez y caduca pronto; no lo compartas:
    {$url}
dashboard-sent-private = Te envié un mensaje privado con tu enlace de acceso.
stats-unavailable = Las estadísticas del Storm no están disponibles aquí.
stats-saved = La imagen está guardada en {$path}
dash-member-away = en parada planificada
dash-flow-private = flujo privado
