@echo off
chcp 65001 >nul
rem The hall node as a task that Windows starts at boot, before anyone logs
rem in, and restarts if it stops: servicehall.exe is a console program, not
rem a Windows service, so Task Scheduler runs it (no extra software).
rem Run as administrator from the folder that holds servicehall.exe:
rem   install-node-task.cmd [https://hq.example:8480]
rem The hall's HQ credential goes in the system environment variable
rem SERVICEHALL_HQ_TOKEN (setx /M SERVICEHALL_HQ_TOKEN ...), never on the
rem command line. Data: C:\ProgramData\servicehall (database, logs, backups).
rem Remove with: schtasks /Delete /TN servicehall-node /F
setlocal
set HQ=%~1
set DATA=%ProgramData%\servicehall
if not exist "%DATA%" mkdir "%DATA%"
set ARGS=serve --db \"%DATA%\hall.db\" --listen :8420
if not "%HQ%"=="" set ARGS=%ARGS% --hq %HQ%
schtasks /Create /F /TN servicehall-node /SC ONSTART /RU SYSTEM /RL HIGHEST ^
  /TR "\"%~dp0servicehall.exe\" %ARGS%" || exit /b 1
schtasks /Run /TN servicehall-node
echo 营业厅主机已登记为开机任务 servicehall-node（数据在 %DATA%）。
