@echo off
chcp 65001 >nul
rem Headquarters' server as a task that Windows starts at boot (see
rem install-node-task.cmd for why a task and not a service). Run as
rem administrator from the folder that holds servicehall-hq.exe.
rem Remove with: schtasks /Delete /TN servicehall-hq /F
setlocal
set DATA=%ProgramData%\servicehall-hq
if not exist "%DATA%" mkdir "%DATA%"
schtasks /Create /F /TN servicehall-hq /SC ONSTART /RU SYSTEM /RL HIGHEST ^
  /TR "\"%~dp0servicehall-hq.exe\" --db \"%DATA%\servicehall-hq.db\" --listen 127.0.0.1:8480" || exit /b 1
schtasks /Run /TN servicehall-hq
echo 总部同步服务已登记为开机任务 servicehall-hq（数据在 %DATA%）。
