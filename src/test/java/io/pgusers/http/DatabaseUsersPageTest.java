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
        assertEquals("User \"" + writer + "\" created with the password you gave.",
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice"))).getText());
        try (Connection c = db.login(writer, writerPassword); Statement s = c.createStatement()) {
            s.execute("INSERT INTO orders (item) VALUES ('from the page''s writer')");
        }

        // Add a read-only user, with a generated password shown once.
        String reader = Names.user("reader");
        addUser(reader, "", "", true);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-password")));
        screenshot("step-generated-password");
        WebElement shown = browser.findElement(By.id("new-password"));
        assertTrue(shown.getSize().getWidth() > 0);
        assertEquals(Boolean.TRUE, ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "const f = arguments[0]; return f.scrollWidth <= f.clientWidth && f.scrollHeight <= f.clientHeight;", shown),
                "the whole password is visible, none of it scrolled away");
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-leaving")));
        assertFalse(browser.findElements(By.cssSelector("#password-dialog[open]")).isEmpty(), "Esc asks before closing");
        browser.findElement(By.id("password-keep")).click();
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
        assertEquals(mismatch, browser.findElement(By.id("new-username")).getAttribute("value"), "the fields are kept");
        assertFalse(browser.findElement(By.id("new-password-1")).getAttribute("value").isEmpty(), "the fields are kept");
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

    @Test
    void aDatabaseThatIsNotServedIsSaidNotSwitched(TestInfo test) throws Exception {
        signIn("/?database=no_such_database_here");
        WebElement empty = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("users-empty")));
        assertTrue(empty.getText().startsWith("Database \"no_such_database_here\" does not exist or is not managed"),
                empty.getText());
        assertEquals("No database", browser.findElement(By.id("db-name")).getText());
        assertTrue(browser.findElements(By.cssSelector("#users-body tr")).isEmpty(), "no other database's users");
        assertFalse(browser.findElement(By.id("add-user-button")).isEnabled());
        screenshots("not-served");
    }

    @Test
    void usersOfAnotherDatabaseSayWhoseTheyAreAndOfferNothing() throws Exception {
        String adopted = io.pgusers.testing.PgServer.shared().createDatabase("adopted");
        String owner = Names.user("adopter");
        try (Connection c = io.pgusers.testing.PgServer.shared().connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + owner + " LOGIN PASSWORD '" + Names.password() + "'");
            s.execute("ALTER DATABASE " + adopted + " OWNER TO " + owner);
        }
        var provision = io.pgusers.testing.CliRun.against(adopted).run("provision");
        assertEquals(0, provision.exitCode(), provision::toString);
        String visitor = Names.user("visitor");
        assertEquals(0, db.cli().run("create", "--generate-password", "--read-only", visitor).exitCode());
        signIn("/?database=" + adopted);
        WebElement row = row(visitor);
        assertEquals(db.name(), row.getAttribute("data-database"));
        assertTrue(row.getText().contains("user of database " + db.name()), row.getText());
        assertTrue(row.findElements(By.cssSelector(".menu-button")).isEmpty(), "nothing offered that would fail");
        screenshots("other-database");
    }

    @Test
    void theInstanceDownIsWhatHealthSays() throws Exception {
        try (TcpProxy proxy = new TcpProxy(io.pgusers.testing.PgServer.shared().host(), io.pgusers.testing.PgServer.shared().port());
             ApiServer server = TestService.start(TestService.logins("127.0.0.1", proxy.port()),
                     TestService.options(Duration.ofSeconds(1)))) {
            String base = "http://127.0.0.1:" + server.port();
            browser.get(base + "/?database=" + db.name());
            signInHere();
            row(db.owner());
            proxy.cut();
            browser.navigate().refresh();
            WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("banner")));
            assertEquals("The database instance does not answer", banner.getText());
            screenshots("instance-down");
        }
    }

    @Test
    void theFaviconIsServed() throws Exception {
        var answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/favicon.ico")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode());
        assertEquals("image/x-icon", answer.headers().firstValue("Content-Type").orElse(""));
        assertEquals(0, answer.body()[0]);
        assertEquals(1, answer.body()[2], "an ICO file");
    }

    @Test
    void atThePhonesWidthTheTableAndItsActionsStayUsable() throws Exception {
        String name = Names.user("narrow");
        assertEquals(0, db.cli().run("create", "--generate-password", name).exitCode());
        signIn("/?database=" + db.name());
        try {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(360, 800));
            WebElement button = row(name).findElement(By.cssSelector(".menu-button"));
            long viewport = (Long) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.clientWidth;");
            var box = button.getRect();
            assertTrue(box.getX() >= 0 && box.getX() + box.getWidth() <= viewport,
                    "the actions are within the screen: " + box.getX() + "+" + box.getWidth() + " of " + viewport);
            button.click();
            WebElement menu = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-menu")));
            assertTrue(menu.getRect().getX() >= 0, "the menu opens on the screen");
            screenshot("narrow-360-menu");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }

    /** Opens {@code path} of the shared service and gives the token when asked. */
    private static void signIn(String path) {
        browser.get(api.base() + path);
        signInHere();
    }

    private static void signInHere() {
        var asked = browser.findElements(By.cssSelector("#token-dialog[open]"));
        if (!asked.isEmpty()) {
            browser.findElement(By.id("token-input")).sendKeys(TestService.TOKEN);
            browser.findElement(By.id("token-submit")).click();
        }
    }

    /** The page as it is now, at 1280 and at 360 pixels wide. */
    private static void screenshots(String name) {
        screenshot(name + "-1280");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(360, 800));
        try {
            screenshot(name + "-360");
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
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
        browser.findElement(By.id("new-password-1")).clear();
        browser.findElement(By.id("new-password-1")).sendKeys(password);
        browser.findElement(By.id("new-password-2")).clear();
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
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("password-leaving")));
        assertEquals(password, field.getAttribute("value"), "asked first: the password is still there");
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
