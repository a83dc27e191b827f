<?php
use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Schema;

return new class extends Migration
{
    public function up(): void
    {
        Schema::create('rehearsal_rows', function (Blueprint $table) {
            $table->id();
            $table->string('token')->index();
        });
        Schema::create('rehearsal_runs', function (Blueprint $table) {
            $table->id();
            $table->string('token')->index();
            $table->string('job');
            $table->string('phase');
            $table->integer('pid');
            $table->integer('attempt');
            $table->timestamp('at')->useCurrent();
        });
        // Who ran this migration, over what: the rehearsal checks the migration user and TLS.
        Schema::create('rehearsal_migration_log', function (Blueprint $table) {
            $table->id();
            $table->string('account');
            $table->string('tls');
        });
        $who = DB::selectOne("SELECT CURRENT_USER() AS account, (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_version') AS tls");
        DB::table('rehearsal_migration_log')->insert(['account' => $who->account, 'tls' => (string) $who->tls]);
    }

    public function down(): void
    {
        Schema::dropIfExists('rehearsal_migration_log');
        Schema::dropIfExists('rehearsal_runs');
        Schema::dropIfExists('rehearsal_rows');
    }
};
