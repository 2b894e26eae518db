; govdesk 政务公开工作台 — Windows installer (NSIS 3, Unicode).
;
; Built by build_installer.py, which passes:
;   -DVERSION=0.1.0  -DVI_VERSION=0.1.0.0  -DBUNDLE_DIR=<dist\govdesk>  -DOUTFILE=<setup.exe>
;   [-DICON=<resources\govdesk.ico>]
; By hand (from this folder, after building the bundle):
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVI_VERSION=0.1.0.0 ^
;            -DBUNDLE_DIR=..\dist\govdesk -DOUTFILE=..\dist\govdesk-setup-0.1.0.exe govdesk.nsi
;
; Per-user install without administrator rights: township PCs are often locked down and the
; office clerk cannot ask IT for every update. Program files go to
; %LOCALAPPDATA%\Programs\govdesk; the data (database, backups, board photos) live apart in
; %LOCALAPPDATA%\govdesk (govdesk/paths.py, platformdirs), which the uninstaller keeps unless
; the user ticks the box to delete it.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WinVer.nsh"
!include "x64.nsh"

!ifndef VERSION
  !error "请用 -DVERSION=... 指定版本（build_installer.py 会自动传入）"
!endif
!ifndef VI_VERSION
  !define VI_VERSION "0.0.0.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\dist\govdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\govdesk-setup-${VERSION}.exe"
!endif

!define APP_NAME "政务公开工作台"
!define APP_ID "govdesk"
!define MAIN_EXE "govdesk.exe"
!define SHORTCUT_NAME "政务公开工作台"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
; Window state (QSettings, govdesk/gui/ui_state.py) lives under this key.
!define SETTINGS_KEY "Software\govdesk"
; Where govdesk/paths.py keeps the database: platformdirs user_data_dir("govdesk",
; appauthor=False, roaming=False) = %LOCALAPPDATA%\govdesk. Its Cache subfolder (parsed font
; metrics) can always be made again.
!define DATA_DIR "$LOCALAPPDATA\govdesk"

Name "${APP_NAME} ${VERSION}"
Caption "${APP_NAME} ${VERSION} 安装"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
BrandingText "govdesk ${VERSION}"

VIProductVersion "${VI_VERSION}"
VIFileVersion "${VI_VERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" ""

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装${APP_NAME}"
!define MUI_WELCOMEPAGE_TEXT "本程序将把${APP_NAME} ${VERSION}安装到您的用户文件夹中，不需要管理员权限。$\r$\n$\r$\n系统要求：64 位 Windows 10（1809 或更高版本）或 Windows 11。$\r$\n$\r$\n如果${APP_NAME}正在运行，请先退出。已有的数据（数据库和备份）不会受影响。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${MAIN_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE un.ConfirmDataRemoval
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ; Qt 6 runs only on 64-bit Windows 10 1809 (build 17763) or later.
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME}需要 64 位的 Windows 10（1809 或更高版本）或 Windows 11。"
    Abort
  ${EndIf}
  ${WinVerGetBuild} $0
  ${IfNot} ${AtLeastWin10}
  ${OrIf} $0 < 17763
    MessageBox MB_ICONSTOP "${APP_NAME}需要 Windows 10 1809（版本号 17763）或更高版本，本机的 Windows 版本过旧。"
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Section "程序文件" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An update replaces the whole bundle: files of the old version left in _internal could be
  ; loaded instead of the new ones. Only our own subfolder is removed, never $INSTDIR itself
  ; (the user may have chosen a folder that holds other things).
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${SHORTCUT_NAME}.lnk" "$INSTDIR\${MAIN_EXE}" "" "$INSTDIR\${MAIN_EXE}" 0
  CreateShortCut "$DESKTOP\${SHORTCUT_NAME}.lnk" "$INSTDIR\${MAIN_EXE}" "" "$INSTDIR\${MAIN_EXE}" 0

  ; 控制面板 → 程序和功能 / 设置 → 应用: per-user entry under HKCU.
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "govdesk"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${MAIN_EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "un.删除程序文件和快捷方式" UnSecProgram
  SectionIn RO
  Delete "$SMPROGRAMS\${SHORTCUT_NAME}.lnk"
  Delete "$DESKTOP\${SHORTCUT_NAME}.lnk"
  ; Only what the installer put there: $INSTDIR may be a folder the user also uses.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\govdesk.exe"
  Delete "$INSTDIR\govdesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; The font cache is always safe to drop: govdesk rebuilds it.
  RMDir /r "${DATA_DIR}\Cache"
  ; Keep the data folder itself unless the box below was ticked.
  RMDir "${DATA_DIR}"
SectionEnd

; /o: not ticked by default, so a silent uninstall (/S) and a hurried click-through keep the data.
Section /o "un.同时删除全部数据（数据库、备份、公开栏照片和窗口设置，无法恢复）" UnSecData
  RMDir /r "${DATA_DIR}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"
SectionEnd

Function un.ConfirmDataRemoval
  ${If} ${SectionIsSelected} ${UnSecData}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "确定要删除全部数据吗？$\r$\n$\r$\n将删除文件夹 ${DATA_DIR} 中的数据库、所有备份和照片，删除后无法恢复。$\r$\n$\r$\n如果还需要这些记录，请选“否”，并先在${APP_NAME}中把备份复制到U盘。" IDYES confirmed
    Abort
    confirmed:
  ${EndIf}
FunctionEnd
