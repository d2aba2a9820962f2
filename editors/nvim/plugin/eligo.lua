-- eligo rule files in Neovim: the filetype, comments, and `eligo lsp`
-- started for every .elig buffer. Works from Neovim 0.7 (Debian 12's) on.
-- Put this folder on 'runtimepath' (see editors/README.md). Set
-- `vim.g.eligo_path` to use an eligo binary that is not on PATH.
-- The filetype is set by ftdetect/eligo.vim.

local function root_of(file)
  -- The folder that holds `rules/` (or `.git`), else the file's folder.
  local dir = vim.fn.fnamemodify(file, ":p:h")
  while dir ~= "/" and dir ~= "" do
    if vim.fn.isdirectory(dir .. "/rules") == 1 or vim.fn.isdirectory(dir .. "/.git") == 1 then
      return dir
    end
    dir = vim.fn.fnamemodify(dir, ":h")
  end
  return vim.fn.fnamemodify(file, ":p:h")
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "eligo",
  callback = function(args)
    vim.bo[args.buf].commentstring = "// %s"
    local config = {
      name = "eligo",
      cmd = { vim.g.eligo_path or "eligo", "lsp" },
      root_dir = root_of(vim.api.nvim_buf_get_name(args.buf)),
      on_attach = function(_, bufnr)
        -- Completion with <C-x><C-o> (newer Neovims set this themselves).
        vim.bo[bufnr].omnifunc = "v:lua.vim.lsp.omnifunc"
      end,
    }
    if vim.lsp.start then
      vim.lsp.start(config, { bufnr = args.buf })
    else
      local client = vim.lsp.start_client(config)
      if client then
        vim.lsp.buf_attach_client(args.buf, client)
      end
    end
  end,
})
