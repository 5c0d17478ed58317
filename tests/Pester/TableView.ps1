# Shared by the test files: checks that a default table view reads well in a console of a given width.
function Assert-TableView {
    param(
        [Parameter(Mandatory)] [object[]] $InputObject,
        [Parameter(Mandatory)] [int] $Width,
        [Parameter(Mandatory)] [string[]] $KeyColumn
    )
    $lines = @(($InputObject | Out-String -Width $Width) -split '\r?\n' | Where-Object { $_.Trim() })
    $type = $InputObject[0].PSObject.TypeNames[0]
    # A header that wraps (one letter per line when a column is too wide) takes more than one line.
    $dashes = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^\s*-+(\s+-+)*\s*$' })
    $dashes | Should -Be 1 -Because "the $type header fits one line at $Width columns:`n$($lines -join "`n")"
    $headers = -split $lines[0]
    foreach ($key in $KeyColumn) {
        $headers | Should -Contain $key -Because "$type shows $key at $Width columns:`n$($lines -join "`n")"
    }
    foreach ($line in $lines) {
        $line.TrimEnd().Length | Should -BeLessOrEqual $Width
    }
}
