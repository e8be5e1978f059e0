# Pesan bot (Telegram) dalam bahasa Indonesia. Kunci dan variabel: sama dengan en/bot.ftl.
# $site adalah nama situs (APP_NAME atau nama klien OpenID) dan tidak diterjemahkan.

## Balasan untuk /start, /help, dan tombol konfirmasi

logged-in = ✅ Anda sudah masuk ke { $site }; silakan kembali ke browser.
expired = ⌛ Tautan masuk ini sudah kedaluwarsa. Kembali ke { $site } di browser dan pindai kode QR yang baru (atau muat ulang halaman untuk mendapatkannya).
unknown-link = ⚠️ Tautan masuk ini tidak valid atau sudah dipakai. Buka halaman masuk { $site } di browser dan pindai kode QR yang ada di sana.
awaiting-confirmation = ⏳ Anda sudah memindai kode QR ini: proses masuk ke { $site } menunggu jawaban Anda. Gunakan tombol di bawah (tombol di bawah pesan pertama juga berfungsi).
introduction =
    👋 Saya membantu Anda masuk ke { $site }. Buka halaman masuknya di browser dan pindai kode QR dengan kamera ponsel, atau ketuk "Buka di Telegram" jika Anda sudah di ponsel.

    Kirim /sessions untuk melihat di mana Anda masuk dengan akun Telegram Anda, dan untuk mengeluarkan browser.
refused = 🚫 Anda tidak dapat masuk ke { $site } dengan akun Telegram ini. Tidak ada yang masuk.
refused-because = 🚫 Anda tidak dapat masuk ke { $site } dengan akun Telegram ini. { $reason } Tidak ada yang masuk.
denied = 🚫 Masuk ke { $site } ditolak. Tidak ada yang masuk dengan akun Anda.
wrong-code = 🚫 Itu bukan angka yang ditampilkan di halaman masuk { $site }, jadi tidak ada yang masuk. Jika bukan Anda yang memulai proses masuk ini, mungkin seseorang menunjukkan kode QR miliknya kepada Anda: abaikan saja.

## Permintaan konfirmasi

confirm-title = 🔐 Masuk ke { $site }?
confirm-asked = Sebuah browser meminta masuk ke { $site } dengan akun Telegram Anda:
confirm-browser = • Browser: { $browser }
confirm-ip = • Alamat IP: { $ip }
confirm-time = • Waktu: { $time }
confirm-hint-button = Konfirmasi hanya jika ini Anda, yang sedang berada di depan layar itu sekarang.
confirm-hint-code = Ketuk angka yang ditampilkan di halaman masuk. Jika tidak ada angka di sana, atau ini bukan Anda, ketuk Tolak.
button-confirm = ✅ Konfirmasi
button-deny = ❌ Tolak

## Browser dan alamat

unknown-browser = browser yang tidak dikenal
listed-unknown-browser = Browser tidak dikenal
confirm-unknown-browser = browser tidak dikenal
unknown-ip = tidak diketahui
browser-on-system = { $browser } di { $os }

## /sessions dan tombolnya

no-sessions = 🔑 Anda tidak punya sesi aktif: tidak ada browser yang masuk dengan akun Telegram Anda.
sessions-heading = 🔑 Sesi aktif Anda ({ $count }), yang terbaru dulu:
sessions-heading-paged = 🔑 Sesi aktif Anda ({ $count }), yang terbaru dulu, halaman { $page } dari { $pages }:
session-entry =
    { $n }. { $site }
    { $device }, IP { $ip }
session-times = Masuk { $createdAt }, terakhir dipakai { $lastUsedAt }
sessions-footer = Ketuk Akhiri untuk mengeluarkan browser itu.
button-end-session = ❌ Akhiri { $n }: { $site }
button-newer = ◀ Lebih baru
button-older = Lebih lama ▶
button-end-all = 🚪 Akhiri semua { $count } sesi
session-ended = ✅ Sesi { $site } dari { $device } diakhiri. Browser itu sudah keluar.
sessions-ended =
    { $count ->
        [1] ✅ { $count } sesi diakhiri. Browser itu sudah keluar.
       *[other] ✅ { $count } sesi diakhiri. Browser-browser itu sudah keluar.
    }
session-gone = ℹ️ Sesi itu sudah berakhir atau bukan milik Anda: tidak ada yang diubah.
no-sessions-to-end = ℹ️ Tidak ada lagi sesi untuk diakhiri: tidak ada yang diubah.
no-sessions-left = Anda tidak punya sesi aktif lagi.

## Pemberitahuan masuk baru

new-login =
    🔔 Masuk baru ke { $site } dari { $device }, { $ip }, pada { $time }.

    Jika ini bukan Anda, ketuk Akhiri untuk langsung mengeluarkan browser itu. /sessions menampilkan semua sesi Anda.
new-login-unknown-ip = alamat IP tidak diketahui
button-end-this-session = ❌ Akhiri sesi ini

## Pesan singkat saat tombol diketuk

answer-confirmed = Berhasil masuk. Silakan kembali ke browser.
answer-denied = Masuk ditolak.
answer-wrong-code = Angka salah: masuk ditolak.
answer-expired = Proses masuk ini sudah kedaluwarsa. Pindai kode QR baru di browser.
answer-unknown = Proses masuk ini tidak lagi menunggu jawaban.
answer-wrong-user = Hanya orang yang memindai kode QR yang dapat menjawab proses masuk ini.
answer-already-authenticated = Proses masuk ini sudah dikonfirmasi.
answer-already-denied = Proses masuk ini sudah ditolak.
answer-session-ended = Sesi diakhiri: browser itu sudah keluar.
answer-sessions-ended = { $count } sesi diakhiri.
answer-no-sessions-to-end = Tidak ada lagi sesi untuk diakhiri.
answer-session-gone = Sesi itu sudah berakhir atau bukan milik Anda.
answer-sessions-page = Halaman { $page } dari { $pages }

## Menu obrolan

command-sessions = Di mana Anda masuk; keluarkan browser
command-help = Apa yang dilakukan bot ini
