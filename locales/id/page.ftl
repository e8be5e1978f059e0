# Halaman masuk. Variabel tidak diterjemahkan: $site nama situs, $name nama
# seseorang di Telegram, $code angka yang harus dipilih.

## Title and heading

page-title = Masuk dengan Telegram
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
    .alt = Kode QR untuk masuk dengan Telegram; tautan masuk yang sama tertulis di bawahnya
match-before = Pilih
match-after = di Telegram
countdown = Kedaluwarsa dalam { $time }
countdown-label = Kode QR kedaluwarsa dalam { $duration }
duration-minutes = { $minutes } menit
duration-seconds = { $seconds } detik
open-telegram = Buka di Telegram
deep-link-label = Ada Telegram di perangkat ini? Buka tautan masuk ini:
demo-label = Mode demo:
demo-text = tidak ada bot Telegram yang terhubung. Selesaikan proses masuk dari folder proyek dengan:
step-open = Buka kamera atau Telegram di ponsel Anda
step-scan = Pindai kode QR ini
step-start = Ketuk <strong>Mulai</strong> di obrolan dengan bot
step-confirm = Ketuk Konfirmasi di obrolan dengan bot
step-pick = Pilih { $code } di obrolan dengan bot

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
fact-first-name = Nama depan
fact-last-name = Nama belakang
fact-username = Nama pengguna
log-out = Keluar

## The footer

transport-socket = Koneksi langsung
transport-polling = Memeriksa setiap beberapa detik
