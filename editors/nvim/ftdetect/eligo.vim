" .elig files are eligo rule files (Vim script, so Neovim 0.7 detects it too).
autocmd BufRead,BufNewFile *.elig setfiletype eligo
