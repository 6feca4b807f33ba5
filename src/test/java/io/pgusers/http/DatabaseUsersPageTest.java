package io.pgusers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pgusers.testing.AppDatabase;
import io.pgusers.testing.Names;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Database Users page in a real browser (Debian's headless Chromium, through its chromedriver), on a
 * real server: a DBA adds a read-write and a read-only user, resets a password and deletes a user; each
 * result is checked in PostgreSQL. A failure leaves a screenshot in {@code target/screenshots/}, next to
 * those of a few steps (the generated password, an error, the menu, a confirmation, the end).
 */
class DatabaseUsersPageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String INVALID_PASSWORD = "28P01";

    /** Selenium warns that it has no DevTools of Chromium's exact version; nothing here uses DevTools. */
    private static final java.util.logging.Logger CDP_LOG =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static AppDatabase db;
    static ApiClient api;
    static WebDriver browser;
    static WebDriverWait wait;
    static Path profile;

    @BeforeAll
    static void openTheBrowser() throws IOException, SQLException {
        requireChromium();
        CDP_LOG.setLevel(java.util.logging.Level.SEVERE);
        db = AppDatabase.provision("page");
        try (Connection owner = db.loginAsOwner(); Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE orders (id serial PRIMARY KEY, item text)");
            s.execute("INSERT INTO orders (item) VALUES ('a book')");
        }
        api = TestService.client();
        profile = Files.createTempDirectory("pgusers-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    static void closeTheBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    /** Debian's packages, installed by .ci/run; without them the test fails on CI and is skipped elsewhere. */
    private static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String message = "The browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                + ": apt-get install -y chromium chromium-driver";
        if (!present && System.getenv("CI") != null) {
            fail(message);
        }
        Assumptions.assumeTrue(present, message);
    }

    @Test
    void aDbaManagesTheUsersOfADatabaseFromThePage(TestInfo test) throws Exception {
        try {
            manageUsers();
            screenshot("step-done");
        } catch (Throwable e) {
            screenshot("FAILED-" + test.getTestMethod().orElseThrow().getName());
            throw e;
        }
    }

    private void manageUsers() throws SQLException {
        // The token, asked once.
        browser.get(api.base() + "/?database=" + db.name());
        WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-input")));
        token.sendKeys("not-the-token-" + TestService.TOKEN);
        browser.findElement(By.id("token-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-error"), "This token was refused."));
        browser.findElement(By.id("token-input")).sendKeys(TestService.TOKEN);
        browser.findElement(By.id("token-submit")).click();

        // The users table: the protected user, without actions.
        WebElement ownerRow = row(db.owner());
        assertEquals("true", ownerRow.getAttribute("data-protected"));
        assertTrue(ownerRow.findElements(By.cssSelector(".menu-button")).isEmpty(), "no menu for the protected user");
        assertEquals(db.name(), browser.findElement(By.id("db-name")).getText());
        assertEquals("Database Users", browser.findElement(By.cssSelector(".side-active")).getText());

        // Add a read-write user, with a password given twice.
        String writer = Names.user("writer");
        String writerPassword = Names.password();
        addUser(writer, writerPassword, writerPassword, false);
        WebElement writerRow = row(writer);
        assertEquals("false", writerRow.getAttribute("data-read-only"));
        assertEquals("SCRAM-SHA-256", writerRow.findElement(By.cssSelector("td.encryption")).getText());
        assertTrue(browser.findElements(By.cssSelector("#password-dialog[open]")).isEmpty(), "a given password is not shown");
        try (Connection c = db.login(writer, writerPassword); Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders (item) VALUES ('from the page''s writer')");
        }

        // Add a read-only user, with a generated password shown once.
        String reader = Names.user("reader");
        addUser(reader, "", "", true);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-password")));
        screenshot("step-generated-password");
        String readerPassword = shownPassword();
        assertEquals(64, readerPassword.length(), readerPassword);
        assertEquals("true", row(reader).getAttribute("data-read-only"));
        try (Connection c = db.login(reader, readerPassword); Statement s = c.createStatement()) {
            s.executeQuery("SELECT item FROM orders").close();
            SQLException e = assertThrows(SQLException.class, () -> s.execute("INSERT INTO orders (item) VALUES ('no')"));
            assertEquals(INSUFFICIENT_PRIVILEGE, e.getSQLState(), e.getMessage());
        }

        // Errors from the API are shown next to the form, which keeps what was typed.
        addUser(writer, "", "", false);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("add-user-error")));
        assertEquals("User \"" + writer + "\" already exists", error.getText());
        browser.findElement(By.id("new-username")).clear();
        browser.findElement(By.id("new-username")).sendKeys("x");
        browser.findElement(By.id("add-user-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("add-user-error"),
                "Name must contain between 6 and 32 characters"));
        String mismatch = Names.user("mismatch");
        browser.findElement(By.id("new-username")).clear();
        browser.findElement(By.id("new-username")).sendKeys(mismatch);
        browser.findElement(By.id("new-password-1")).sendKeys(Names.password());
        browser.findElement(By.id("new-password-2")).sendKeys(Names.password());
        browser.findElement(By.id("add-user-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("add-user-error"),
                "Password confirmation doesn't match"));
        screenshot("step-form-error");
        assertFalse(db.roleExists(mismatch));
        browser.findElement(By.id("add-user-cancel")).click();

        // Reset the writer's password, after a confirmation: the new one is shown once and logs in.
        WebElement menu = openMenu(writer);
        screenshot("step-user-menu");
        menu.findElement(By.cssSelector("[data-action='reset']")).click();
        confirm("Reset password");
        String newPassword = shownPassword();
        assertNotEquals(writerPassword, newPassword);
        db.login(writer, newPassword).close();
        SQLException old = assertThrows(SQLException.class, () -> db.login(writer, writerPassword).close());
        assertEquals(INVALID_PASSWORD, old.getSQLState());

        // Delete the reader, after a confirmation: gone from the page and from PostgreSQL.
        openMenu(reader).findElement(By.cssSelector("[data-action='delete']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
        screenshot("step-confirm-delete");
        confirm("Delete user");
        wait.until(ExpectedConditions.numberOfElementsToBe(userRow(reader), 0));
        assertFalse(db.roleExists(reader));
        assertTrue(db.roleExists(writer));
        row(writer);
    }

    // ---------------------------------------------------------------------------------------------

    private static By userRow(String name) {
        return By.cssSelector("#users-body tr[data-user='" + name + "']");
    }

    private static WebElement row(String name) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(userRow(name)));
    }

    private static void addUser(String name, String password, String confirmation, boolean readOnly) {
        WebElement button = browser.findElement(By.id("add-user-button"));
        if (button.isDisplayed()) {
            button.click();
        }
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-username")));
        username.clear();
        username.sendKeys(name);
        browser.findElement(By.id("new-password-1")).sendKeys(password);
        browser.findElement(By.id("new-password-2")).sendKeys(confirmation);
        WebElement checkbox = browser.findElement(By.id("new-read-only"));
        if (checkbox.isSelected() != readOnly) {
            checkbox.click();
        }
        browser.findElement(By.id("add-user-submit")).click();
    }

    /** The password of the "shown once" dialog; closes it. */
    private static String shownPassword() {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-password")));
        wait.until(d -> !field.getAttribute("value").isEmpty());
        String password = field.getAttribute("value");
        browser.findElement(By.id("password-done")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("password-dialog")));
        assertEquals("", browser.findElement(By.id("new-password")).getAttribute("value"), "forgotten once closed");
        return password;
    }

    private static WebElement openMenu(String name) {
        row(name).findElement(By.cssSelector(".menu-button")).click();
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-menu")));
    }

    private static void confirm(String action) {
        WebElement ok = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
        assertEquals(action, ok.getText());
        ok.click();
    }

    private static void screenshot(String name) {
        if (!(browser instanceof TakesScreenshot camera)) {
            return;
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + "-pg" + System.getProperty("pgusers.test.postgres", "18") + ".png");
            Files.copy(camera.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            System.err.println("screenshot: " + file.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            System.err.println("could not save a screenshot: " + e);
        }
    }
}
