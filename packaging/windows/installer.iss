; Inno Setup script for AI Review Desk. build.py runs: iscc /DAppVersion=X /DSourceDir=dist\AIReviewDesk installer.iss
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\app.ico"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\AIReviewDesk"
#endif

[Setup]
AppId={{6C3E8E2B-7F1A-4C55-9E0B-3D2A9B1C5E71}
AppName=AI Review Desk
AppVersion={#AppVersion}
AppPublisher=AI Review Desk
DefaultDirName={autopf}\AI Review Desk
DefaultGroupName=AI Review Desk
OutputBaseFilename=AIReviewDesk-{#AppVersion}-setup
OutputDir=..\..\dist
Compression=lzma2
SolidCompression=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\aireview.exe

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\AI Review Desk"; Filename: "{app}\aireview.exe"
Name: "{autodesktop}\AI Review Desk"; Filename: "{app}\aireview.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\aireview.exe"; Description: "Start AI Review Desk"; Flags: nowait postinstall skipifsilent
