# Halaman masuk. Variabel tidak diterjemahkan: $site nama situs, $name nama
# seseorang di Telegram, $code angka yang harus dipilih.

## Title and heading

page-title = Masuk dengan Telegram
# The heading once logged in.
page-title-logged-in = Sudah masuk
page-title-site = Masuk ke { $site } dengan Telegram
site-fallback = situs

## The status line

status-getting-code = Mengambil kode QR…
status-getting-new-code = Mengambil kode QR baru…
status-checking-session = Memeriksa sesi Anda…
status-waiting = Menunggu Anda memindai kode QR
status-new-code = Kode QR baru: kode sebelumnya kedaluwarsa. Menunggu Anda memindainya
status-logged-out = Anda sudah keluar. Pindai kode QR baru untuk masuk lagi
status-too-many = Terlalu banyak kode baru dari jaringan ini. Mencoba lagi dalam { $seconds } detik…
status-confirm = Konfirmasi di Telegram
status-confirm-named = Konfirmasi di Telegram, { $name }
status-confirm-code = Konfirmasi di Telegram: pilih { $code }
status-confirm-named-code = Konfirmasi di Telegram, { $name }: pilih { $code }
status-going-back = Berhasil masuk. Kembali ke { $site }…
status-logging-out = Keluar…
status-logged-in = Masuk sebagai { $name }
status-session-ended = Anda telah dikeluarkan. { $reason }

## The QR code and what to do with it

login-heading = Pindai kode QR dengan ponsel Anda
qr-image =
    .alt = Kode QR untuk masuk dengan Telegram; tombol Buka di Telegram membuka proses masuk yang sama
match-before = Pilih
match-after = di Telegram
countdown = Kedaluwarsa dalam { $time }
countdown-label = Kode QR kedaluwarsa dalam { $duration }
# Rate limited: $time is minutes:seconds until the page asks again.
retry-countdown = Mencoba lagi dalam { $time }
retry-countdown-label = Mencoba lagi dalam { $duration }
duration-minutes = { $minutes } menit
duration-seconds = { $seconds } detik
open-telegram = Buka di Telegram
# On a touch screen, above the QR code (Open in Telegram comes first there).
other-device = Di perangkat lain? Pindai kode QR ini
copy-link = Salin tautan
# Said beside Copy link once it was pressed.
link-copied = Tautan disalin
copy-failed = Tautan tidak dapat disalin
demo-label = Mode demo:
demo-text = tidak ada bot Telegram yang terhubung. Selesaikan proses masuk dari folder proyek dengan:
step-open = Buka kamera atau Telegram di ponsel Anda
step-scan = Pindai kode QR ini
step-start = Ketuk <strong>Mulai</strong> di obrolan dengan bot
# The steps on a touch screen, where Telegram is on the same device.
step-open-touch = Ketuk <strong>Buka di Telegram</strong>
step-scan-touch = Telegram membuka obrolan dengan bot
# With LOGIN_CONFIRMATION=code, before the scan (the number comes after it).
step-start-code = Ketuk <strong>Mulai</strong> di obrolan dengan bot, lalu pilih angka yang ditampilkan halaman ini
step-confirm = Ketuk Konfirmasi di obrolan dengan bot
step-pick = Pilih angka yang sama di obrolan dengan bot

## When something went wrong or is over

expired-title = Kode QR ini sudah kedaluwarsa
expired-unconfirmed = Belum dikonfirmasi di Telegram tepat waktu. Ambil kode baru dan pindai lagi.
expired-text = Demi keamanan Anda, kode masuk hanya berlaku beberapa menit. Ambil kode baru saat Anda siap memindainya.
new-code = Tampilkan kode QR baru
denied-title = Masuk ditolak
denied-text = Permintaan masuk ditolak di Telegram, jadi browser ini tidak masuk. Jika itu keliru, mulai lagi dengan kode QR baru.
denied-text-site = Permintaan masuk ditolak di Telegram. Kembali ke { $site }…
go-back = Kembali sekarang
try-again = Coba lagi
logged-out-here-title = Keluar hanya di browser ini
logged-out-here-text = Browser ini sudah melupakan sesinya, tetapi server tidak dapat dihubungi untuk mengakhirinya, jadi di sana sesi tetap berlaku sampai kedaluwarsa.
log-in-again = Masuk lagi
request-ended-title = Permintaan masuk ini sudah berakhir
request-ended-text = Kembali ke situs asal Anda dan masuk lagi.
unreachable-title = Server tidak dapat dihubungi
unreachable-text = Periksa koneksi Anda, lalu coba lagi.

## Why a session ended

session-ended-title = Anda telah dikeluarkan
session-ended = Sesi Anda telah berakhir.
session-ended-in-telegram = Anda mengakhiri sesi ini di Telegram.
session-ended-from-another-session = Anda mengakhiri sesi ini dari browser lain.
session-logged-out = Anda sudah keluar.
session-refresh-token-reused = Sesi Anda diakhiri karena token penyegarannya dipakai dua kali (mungkin ada yang menyalinnya).
session-logged-out-of-site = Anda keluar dari situs.
session-ended-by-site = Situs mengakhiri sesi Anda.

## Who is logged in

fact-id = ID Telegram
log-out = Keluar

## The footer

transport-socket = Diperbarui begitu ada perubahan
transport-polling = Memeriksa pembaruan setiap beberapa detik
