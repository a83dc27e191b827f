-- A marketplace-shaped sysbench workload on the sbtest tables, modelled on the rehearsal app's
-- pages (tests/rehearsal/app/routes/web.php): per event, one listing page (the 20 newest rows of
-- a range on the secondary index k, as the catalogue page's ORDER BY id DESC LIMIT 20), five item
-- pages (point selects by primary key) and, one event in ten, an order: a transaction with an
-- UPDATE and an INSERT. Row choice follows --rand-type (uniform or pareto).
sysbench.cmdline.options = {
  tables = {"Number of tables", 8},
  table_size = {"Rows per table", 10000},
}

function thread_init()
  drv = sysbench.sql.driver()
  con = drv:connect()
end

function thread_done()
  con:disconnect()
end

function event()
  local t = "sbtest" .. sysbench.rand.uniform(1, sysbench.opt.tables)
  local k = sysbench.rand.default(1, sysbench.opt.table_size)
  con:query(string.format("SELECT id, k, LEFT(c, 40) FROM %s WHERE k BETWEEN %d AND %d ORDER BY id DESC LIMIT 20", t, k, k + 50))
  for _ = 1, 5 do
    con:query(string.format("SELECT c, pad FROM %s WHERE id = %d", t, sysbench.rand.default(1, sysbench.opt.table_size)))
  end
  if sysbench.rand.uniform(1, 10) == 1 then
    con:query("BEGIN")
    con:query(string.format("UPDATE %s SET k = k + 1 WHERE id = %d", t, sysbench.rand.default(1, sysbench.opt.table_size)))
    con:query(string.format("INSERT INTO %s (k, c, pad) VALUES (%d, '%s', '%s')", t, k, sysbench.rand.string(string.rep("#", 120)), sysbench.rand.string(string.rep("@", 60))))
    con:query("COMMIT")
  end
end
